//! The default key table: every action with its config name, context, French labels and
//! default keys, one line each so that the table reads as a table.

use super::{Action, ActionInfo, Ctx};

macro_rules! info {
    ($a:ident, $name:literal, $ctx:ident, $label:literal, $short:literal, [$($k:literal),*]) => {
        ActionInfo { action: Action::$a, name: $name, ctx: Ctx::$ctx, label: $label, short: $short, keys: &[$($k),*] }
    };
}

/// Every action, in help order.
#[rustfmt::skip]
pub const ACTIONS: &[ActionInfo] = &[
    info!(Lookup, "lookup", Global, "Rechercher un ménage", "rechercher", ["/", "ctrl-p"]),
    info!(GoPortfolio, "portfolio", Global, "Aller au portefeuille", "", ["1"]),
    info!(GoDossier, "dossier", Global, "Aller au dernier dossier ouvert", "", ["2"]),
    info!(GoActions, "actions", Global, "Aller à Mes actions", "", ["3"]),
    info!(Palette, "palette", Global, "Palette de commandes", "commandes", [":"]),
    info!(Help, "help", Global, "Aide complète", "aide", ["?", "f1"]),
    info!(ThemeNext, "theme", Global, "Changer de thème", "", ["T"]),
    info!(Quit, "quit", Global, "Quitter", "quitter", ["q", "ctrl-c"]),
    info!(Down, "down", Global, "Ligne suivante", "", ["down", "j"]),
    info!(Up, "up", Global, "Ligne précédente", "", ["up", "k"]),
    info!(PageDown, "page_down", Global, "Page suivante", "", ["pgdn", "ctrl-d"]),
    info!(PageUp, "page_up", Global, "Page précédente", "", ["pgup", "ctrl-u"]),
    info!(Top, "top", Global, "Début de la liste", "", ["home", "g"]),
    info!(Bottom, "bottom", Global, "Fin de la liste", "", ["end", "G"]),
    info!(Open, "portfolio.open", Portfolio, "Ouvrir le dossier", "ouvrir", ["enter", "l", "right"]),
    info!(ScopeNext, "portfolio.scope", Portfolio, "Présents / partis / tous", "présents/partis", ["t", "tab"]),
    info!(SortNext, "portfolio.sort", Portfolio, "Trier sur la colonne suivante", "trier", ["s", ">"]),
    info!(SortPrev, "portfolio.sort_prev", Portfolio, "Trier sur la colonne précédente", "", ["<"]),
    info!(SortReverse, "portfolio.reverse", Portfolio, "Inverser le tri", "", ["S"]),
    info!(Filter, "portfolio.filter", Portfolio, "Filtres (phase, secteur, référent, dette…)", "filtrer", ["f"]),
    info!(Mine, "portfolio.mine", Portfolio, "Mes dossiers", "mes dossiers", ["m"]),
    info!(Overdue, "portfolio.overdue", Portfolio, "Actions en retard", "en retard", ["o"]),
    info!(ClearFilters, "portfolio.clear", Portfolio, "Effacer les filtres", "", ["x"]),
    info!(Back, "dossier.back", Dossier, "Retour au portefeuille", "retour", ["esc", "backspace"]),
    info!(TabNext, "dossier.tab_next", Dossier, "Onglet suivant", "onglets", ["tab", "l", "right"]),
    info!(TabPrev, "dossier.tab_prev", Dossier, "Onglet précédent", "", ["backtab", "h", "left"]),
    info!(Open, "dossier.open", Dossier, "Voir l'évènement en entier", "détail", ["enter"]),
    info!(AddEvent, "dossier.event", Dossier, "Ajouter un évènement", "évènement", ["a"]),
    info!(AddReminder, "dossier.reminder", Dossier, "Enregistrer une relance", "relance", ["r"]),
    info!(ChangePhase, "dossier.phase", Dossier, "Changer la phase", "phase", ["p"]),
    info!(FollowUp, "dossier.follow_up", Dossier, "Référents et prochaine action", "suivi", ["n"]),
    info!(SignPlan, "dossier.plan", Dossier, "Signer un plan d'apurement", "plan", ["P"]),
    info!(GoReview, "review", Global, "Réunion mensuelle (écran de séance)", "", ["4"]),
    info!(ReviewNext, "review.next", Review, "Dossier suivant", "suivant", ["n", "right", "space"]),
    info!(ReviewPrev, "review.prev", Review, "Dossier précédent", "précédent", ["p", "left"]),
    info!(Open, "review.open", Review, "Décider (écran) / ouvrir le point (liste)", "", ["enter"]),
    info!(ReviewDecide, "review.decide", Review, "Enregistrer la décision et les actions", "décider", ["d"]),
    info!(ReviewAgenda, "review.agenda", Review, "Ordre du jour / écran du dossier", "ordre du jour", ["o", "tab"]),
    info!(ReviewAdd, "review.add", Review, "Ajouter un dossier (recherche)", "ajouter", ["a"]),
    info!(ReviewRemove, "review.remove", Review, "Retirer le dossier de l'ordre du jour", "retirer", ["x"]),
    info!(ReviewTimer, "review.timer", Review, "Chronomètre du dossier (marche / arrêt)", "chrono", ["c"]),
    info!(ReviewDossier, "review.dossier", Review, "Ouvrir le dossier complet", "", ["v"]),
    info!(ReviewNew, "review.new", Review, "Créer la réunion du jour", "", ["N"]),
    info!(ReviewClose, "review.close", Review, "Clore la réunion (lecture seule ensuite)", "", ["C"]),
    info!(Back, "review.back", Review, "Retour au portefeuille", "", ["esc"]),
    info!(AddAction, "dossier.action", Dossier, "Ajouter une action à faire", "action", ["A"]),
    info!(Open, "actions.open", Actions, "Ouvrir le dossier de la ligne", "ouvrir", ["enter", "l", "right"]),
    info!(TickAction, "actions.done", Actions, "Cocher l'action : faite", "faite", ["x", "space"]),
    info!(Back, "actions.back", Actions, "Retour au portefeuille", "retour", ["esc", "backspace"]),
    info!(GoDashboard, "dashboard", Global, "Tableau de bord (chiffres de la période)", "", ["6"]),
    info!(DashPeriod, "dashboard.period", Dashboard, "Période suivante (année, année précédente, 12 mois)", "période", ["p"]),
    info!(DashSector, "dashboard.sector", Dashboard, "Secteur suivant (tous, puis chacun)", "secteur", ["s"]),
    info!(TabNext, "dashboard.section_next", Dashboard, "Partie suivante (petit écran)", "parties", ["tab", "l", "right"]),
    info!(TabPrev, "dashboard.section_prev", Dashboard, "Partie précédente (petit écran)", "", ["backtab", "h", "left"]),
    info!(Back, "dashboard.back", Dashboard, "Retour au portefeuille", "retour", ["esc", "backspace"]),
    info!(GoLetters, "letters", Global, "Courriers par lots", "", ["5"]),
    info!(LettersToggle, "letters.toggle", Letters, "Cocher ou décocher le dossier", "cocher", ["space"]),
    info!(LettersToggleAll, "letters.all", Letters, "Tout décocher ou tout cocher", "tout", ["a"]),
    info!(LettersReload, "letters.reload", Letters, "Recalculer le lot", "recalculer", ["r"]),
    info!(LettersGenerate, "letters.generate", Letters, "Générer le lot en PDF et l'inscrire aux chronologies", "générer", ["w"]),
    info!(LettersExcluded, "letters.excluded", Letters, "Voir les dossiers écartés et pourquoi", "écartés", ["e"]),
];
