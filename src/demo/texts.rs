//! Short free texts officers type on timeline events (not on every event).

use rand::Rng;
use rand::seq::IndexedRandom;

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
    "Locataire joint, dit attendre son salaire le 10.",
    "Messagerie, message laissé pour rappel.",
    "Numéro non attribué, recherche d'un autre contact.",
    "Mme jointe : retard dû à un changement d'employeur.",
    "M. joint, s'engage à régulariser rapidement.",
    "Pas de réponse, nouvel essai prévu.",
    "Échange avec la fille de la locataire, qui gère ses papiers.",
];

pub const CONTACT_IN: &[&str] = &[
    "Mme passe à l'accueil pour expliquer le retard.",
    "M. appelle suite au courrier de relance.",
    "Appel de l'assistante sociale du Département.",
    "Locataire demande un échéancier.",
    "Appel de la locataire : arrêt maladie, indemnités en attente.",
    "Le locataire conteste le montant de la régularisation de charges.",
];

pub const APPOINTMENT: &[&str] = &[
    "Convocation au siège.",
    "Rendez-vous à l'agence de proximité.",
    "Rendez-vous fixé par téléphone.",
    "Venu accompagné de son fils.",
];

pub const VISIT_MET: &[&str] = &[
    "Logement bien tenu, famille coopérante.",
    "Mme seule avec trois enfants, budget très tendu.",
    "M. en arrêt maladie depuis deux mois.",
    "Visite conjointe avec l'assistante sociale du secteur.",
    "Situation expliquée, dossier FSL préparé sur place.",
];

pub const VISIT_OTHER: &[&str] = &[
    "Avis de passage déposé.",
    "Personne au domicile, voisin dit que le locataire travaille de nuit.",
    "Le locataire refuse d'ouvrir.",
];

pub const BUDGET: &[&str] = &[
    "Reste à vivre insuffisant, orientation vers le FSL.",
    "Dettes de crédit à la consommation importantes.",
    "Budget équilibré depuis la reprise d'emploi.",
    "Pension alimentaire non versée par l'ex-conjoint.",
];

pub const AID_REQUEST: &[&str] = &[
    "Dossier FSL maintien déposé.",
    "Demande d'aide exceptionnelle transmise.",
    "Pièces justificatives complètes.",
    "Demande appuyée par l'assistante sociale.",
];

pub const AID_DECISION: &[&str] = &[
    "Notification reçue.",
    "Accord en commission du mois.",
    "Refus : ressources au-dessus du plafond.",
    "Versement directement au bailleur.",
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
    "Séparation récente, Mme seule avec trois enfants ; orientée vers le CCAS.",
    "M. hospitalisé plusieurs semaines, reprise du travail incertaine.",
    "Violences conjugales signalées, relogement en cours d'étude.",
    "Décès du conjoint, succession en cours ; accompagnement pour les démarches.",
    "Addiction évoquée, suivi par le CSAPA ; locataire d'accord pour l'accompagnement.",
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
    "Délivrée à étude, locataire absent.",
];

pub const HEARING: &[&str] = &[
    "Locataire absent et non représenté.",
    "Locataire présente avec l'assistante sociale.",
    "Renvoi à la demande de l'avocat du locataire.",
    "Le locataire propose 50 € par mois en plus du loyer.",
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
