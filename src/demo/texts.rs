//! Short free texts officers type on timeline events (not on every event).

use rand::Rng;
use rand::seq::IndexedRandom;

/// Puts a text in the holder's gender: `{Mme}` (Mme / M.), `{la}`, `{La}` (article of
/// "locataire"), `{e}` (feminine ending), `{du_conjoint}`, `{l_ex}`.
pub fn civil(text: &str, woman: bool) -> String {
    let pairs: [(&str, &str, &str); 6] = [
        ("{Mme}", "Mme", "M."),
        ("{la}", "la", "le"),
        ("{La}", "La", "Le"),
        ("{e}", "e", ""),
        ("{du_conjoint}", "du conjoint", "de la conjointe"),
        ("{l_ex}", "l'ex-conjoint", "l'ex-conjointe"),
    ];
    let mut out = text.to_string();
    for (key, f, m) in pairs {
        out = out.replace(key, if woman { f } else { m });
    }
    out
}

/// Whether a holder's first name is a woman's one (texts agree with it).
pub fn is_woman(holder: &str) -> bool {
    let first = holder.split(' ').next().unwrap_or("");
    super::names::FIRST_NAMES[..super::names::FIRST_MEN].contains(&first)
}

/// One of `list` with probability `p`, else the empty text.
pub fn maybe(rng: &mut impl Rng, p: f64, list: &[&'static str]) -> &'static str {
    if rng.random_bool(p) {
        list.choose(rng).copied().unwrap_or("")
    } else {
        ""
    }
}

pub const REMINDER: &[&str] = &[
    "Courrier simple.",
    "Envoi en recommandé avec AR.",
    "SMS automatique après contrôle des encaissements.",
    "Relance jointe à l'avis d'échéance.",
    "Message laissé sur le répondeur.",
];

pub const CONTACT_OUT: &[&str] = &[
    "{Mme} joint{e}, dit attendre son salaire le 10.",
    "Messagerie, message laissé pour rappel.",
    "Numéro non attribué, recherche d'un autre contact.",
    "{Mme} joint{e} : retard dû à un changement d'employeur.",
    "{Mme} joint{e}, s'engage à régulariser rapidement.",
    "Pas de réponse, nouvel essai prévu.",
    "Échange avec la fille de {la} locataire, qui gère ses papiers.",
];

pub const CONTACT_IN: &[&str] = &[
    "{Mme} passe à l'accueil pour expliquer le retard.",
    "{Mme} appelle suite au courrier de relance.",
    "Appel de l'assistante sociale du Département.",
    "Locataire demande un échéancier.",
    "Appel de {la} locataire : arrêt maladie, indemnités en attente.",
    "{La} locataire conteste le montant de la régularisation de charges.",
];

pub const APPOINTMENT: &[&str] = &[
    "Convocation au siège.",
    "Rendez-vous à l'agence de proximité.",
    "Rendez-vous fixé par téléphone.",
    "Venu{e} accompagné{e} de son fils.",
];

pub const VISIT_MET: &[&str] = &[
    "Logement bien tenu, famille coopérante.",
    "{Mme} seul{e} avec trois enfants, budget très tendu.",
    "{Mme} en arrêt maladie depuis deux mois.",
    "Visite conjointe avec l'assistante sociale du secteur.",
    "Situation expliquée, dossier FSL préparé sur place.",
];

pub const VISIT_OTHER: &[&str] = &[
    "Avis de passage déposé.",
    "Personne au domicile, un voisin dit que {la} locataire travaille de nuit.",
    "{La} locataire refuse d'ouvrir.",
];

pub const BUDGET: &[&str] = &[
    "Reste à vivre insuffisant, orientation vers le FSL.",
    "Dettes de crédit à la consommation importantes.",
    "Budget équilibré depuis la reprise d'emploi.",
    "Pension alimentaire non versée par {l_ex}.",
];

pub const AID_REQUEST: &[&str] = &[
    "Dossier FSL maintien déposé.",
    "Demande d'aide exceptionnelle transmise.",
    "Pièces justificatives complètes.",
    "Demande appuyée par l'assistante sociale.",
];

pub const AID_GRANTED: &[&str] = &[
    "Notification reçue.",
    "Accord en commission du mois.",
    "Versement directement au bailleur.",
];

pub const AID_REFUSED: &[&str] = &[
    "Refus : ressources au-dessus du plafond.",
    "Refus : dossier incomplet.",
    "Notification de refus reçue.",
];

pub const CAF_REPORT: &[&str] = &[
    "Signalement de l'impayé via le portail partenaires CAF.",
    "Signalement transmis, maintien de l'APL demandé.",
];

pub const PLAN: &[&str] = &[
    "Plan signé à l'accueil.",
    "Plan établi avec la CESF.",
    "Plan envoyé à la CAF pour validation.",
    "Échéances calées sur le versement du salaire.",
    "Nouveau plan après rupture du précédent.",
];

pub const PROMISE: &[&str] = &[
    "Promet un virement à réception du salaire.",
    "Promesse de versement en espèces à l'accueil.",
    "Attend un rappel de la CAF.",
];

pub const SOCIAL_NOTE: &[&str] = &[
    "Séparation récente, {Mme} seul{e} avec trois enfants ; orienté{e} vers le CCAS.",
    "{Mme} hospitalisé{e} plusieurs semaines, reprise du travail incertaine.",
    "Violences conjugales signalées, relogement en cours d'étude.",
    "Décès {du_conjoint}, succession en cours ; accompagnement pour les démarches.",
    "Addiction évoquée, suivi par le CSAPA ; {la} locataire est d'accord pour l'accompagnement.",
    "Surendettement probable, aide au dépôt du dossier Banque de France proposée.",
    "Perte d'emploi, droits chômage ouverts mais versement retardé.",
];

pub const NOTE: &[&str] = &[
    "Dossier évoqué en réunion mensuelle.",
    "Courrier retourné : n'habite pas à l'adresse indiquée.",
    "APL suspendue par la CAF faute de plan d'apurement.",
];

pub const PAYMENT_ORDER: &[&str] = &[
    "Commandement délivré par Me Lambert, commissaire de justice.",
    "Commandement remis à personne.",
    "Commandement déposé à l'étude.",
    "Décision validée en réunion mensuelle.",
];

pub const SUMMONS: &[&str] = &[
    "Assignation délivrée à personne.",
    "Assignation validée par la responsable du service.",
    "Délivrée à étude, {la} locataire absent{e}.",
];

pub const HEARING: &[&str] = &[
    "{La} locataire absent{e} et non représenté{e}.",
    "{La} locataire présent{e} avec l'assistante sociale.",
    "{La} locataire propose 50 € par mois en plus du loyer.",
    "Avocat du bailleur : Me Girod.",
];

pub const HEARING_ADJOURNED: &[&str] = &[
    "Renvoi à la demande de l'avocat de {la} locataire.",
    "Renvoi : diagnostic social et financier non reçu.",
    "Renvoi pour permettre le dépôt d'un dossier FSL.",
];

pub const JUDGEMENT: &[&str] = &[
    "Décision réputée contradictoire.",
    "Exécution provisoire.",
    "Condamnation aux dépens.",
];

pub const EVICTION_STEP: &[&str] = &[
    "Acte délivré par le commissaire de justice.",
    "Dossier transmis à la sous-préfecture.",
    "Enquête de police en cours.",
];

pub const EVICTION: &[&str] = &[
    "Reprise des lieux en présence du commissaire de justice et des forces de l'ordre.",
    "Logement vide à l'arrivée, serrures changées.",
    "Meubles inventoriés et entreposés.",
];

pub const MOVE_OUT: &[&str] = &[
    "État des lieux de sortie réalisé.",
    "Clés rendues à l'agence.",
    "Départ sans préavis, logement abandonné.",
    "Mutation dans le parc d'un autre bailleur.",
];

pub const DEMAND: &[&str] = &[
    "Sommation envoyée à la nouvelle adresse.",
    "Sommation envoyée à la dernière adresse connue.",
];

pub const AGENCY: &[&str] = &[
    "Transmission du dossier complet (bail, décompte, état des lieux).",
    "Créance confiée pour recouvrement amiable.",
];

pub const WRITE_OFF: &[&str] = &[
    "Admission en non-valeur validée en réunion mensuelle.",
    "Créance irrécouvrable : débiteur introuvable.",
    "Montant trop faible pour une action en justice.",
    "Prescription acquise.",
];

pub const SETTLED: &[&str] = &[
    "Dette soldée.",
    "Solde réglé, dossier clos.",
    "Régularisation complète constatée.",
];
