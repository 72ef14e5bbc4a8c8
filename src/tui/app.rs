//! The workstation's model and its update function: keys and worker replies in, requests to
//! the worker out. No terminal and no database here, so every behaviour is testable.

use std::path::PathBuf;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dossier::DossierPane;
use super::form::Form;
use super::forms::{self, Purpose};
use super::keymap::{Action, Ctx, Keymap};
use super::lookup::Lookup;
use super::portfolio::Portfolio;
use super::theme::Theme;
use super::worker::{Reply, Request};
use crate::domain::household::{Sector, Staff};
use crate::search::SearchIndex;

/// The two panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// Portefeuille.
    Portfolio,
    /// Dossier.
    Dossier,
    /// Réunion mensuelle.
    Review,
    /// Mes actions.
    Actions,
    /// Courriers par lots.
    Letters,
    /// Tableau de bord.
    Dashboard,
}

pub use super::overlay::{Confirm, FormState, KindPicker, Overlay, Palette};

/// Messages the main loop feeds to `update`.
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// The terminal was resized.
    Resize,
    /// An answer from the store worker.
    Reply(Reply),
    /// The slow tick (other sessions' writes).
    Tick,
    /// The terminal went away or a signal asked us to stop.
    Quit,
}

/// The workstation's whole state.
pub struct App {
    /// Login of the user.
    pub user: String,
    /// The date the program runs as.
    pub today: NaiveDate,
    /// Theme in use.
    pub theme: Theme,
    /// Themes one can switch to.
    pub theme_names: Vec<String>,
    /// Directory of user themes.
    pub themes_dir: PathBuf,
    /// Keys in force.
    pub keymap: Keymap,
    /// Pane shown.
    pub pane: Pane,
    /// Portfolio pane.
    pub portfolio: Portfolio,
    /// Dossier pane (once a household was opened).
    pub dossier: Option<DossierPane>,
    /// Stack of overlays, top last.
    pub overlays: Vec<Overlay>,
    /// A pending question.
    pub confirm: Option<Confirm>,
    /// Lookup index (once loaded).
    pub index: Option<SearchIndex>,
    /// Staff.
    pub staff: Vec<Staff>,
    /// Sectors.
    pub sectors: Vec<Sector>,
    /// Households in the database (None until loaded).
    pub households: Option<i64>,
    /// Message for the footer: (text, is_error).
    pub flash: Option<(String, bool)>,
    /// Set when the loop must end.
    pub quit: bool,
    /// Database shown in the header.
    pub db_label: String,
    /// Procedure rules for the legal deadlines.
    pub rules: crate::domain::procedure::Rules,
    /// Detection and plan follow-up thresholds (config `[detection]`).
    pub detection: crate::domain::detection::DetectionRules,
    /// Tableau de bord (figures of a period).
    pub dashboard: super::dashboard::Dashboard,
    /// Furthest the help can scroll, as last drawn.
    pub help_max: std::cell::Cell<usize>,
    /// The monthly review's meeting pane.
    pub review: super::review_pane::ReviewPane,
    /// The review's agenda thresholds and order (config `[review]`).
    pub agenda_rules: crate::domain::agenda::AgendaRules,
    /// The user is not in the staff: nothing can be changed (banner, refused forms).
    pub read_only: bool,
    /// "Mes actions" pane.
    pub actions: super::actions_pane::ActionsPane,
    /// How long the last computation of every dossier's legal date took (worker).
    pub legal_dates_took: Option<std::time::Duration>,
    pub(super) todo_generation: u64,
    /// Households whose legal dates the background pass has still to compute.
    pub(super) legal_queue: Vec<i64>,
    pub(super) legal_pass_took: std::time::Duration,
    /// Letters pane.
    pub letters: super::letters::LettersPane,
    /// Generation of the last household file asked (older answers are dropped).
    pub(super) generation: u64,
}

impl App {
    /// A workstation waiting for its first snapshot.
    pub fn new(user: &str, today: NaiveDate, theme: Theme, keymap: Keymap, db_label: &str) -> App {
        App {
            user: user.to_string(),
            today,
            theme,
            theme_names: super::theme::BUILTIN
                .iter()
                .map(|(n, _)| n.to_string())
                .collect(),
            themes_dir: crate::config::config_dir().join("themes"),
            keymap,
            pane: Pane::Portfolio,
            portfolio: Portfolio::default(),
            dossier: None,
            overlays: Vec::new(),
            confirm: None,
            index: None,
            staff: Vec::new(),
            sectors: Vec::new(),
            households: None,
            flash: None,
            quit: false,
            db_label: db_label.to_string(),
            help_max: std::cell::Cell::new(usize::MAX),
            dashboard: Default::default(),
            rules: crate::domain::procedure::Rules::default(),
            detection: crate::domain::detection::DetectionRules::default(),
            review: Default::default(),
            agenda_rules: Default::default(),
            read_only: false,
            actions: Default::default(),
            legal_dates_took: None,
            todo_generation: 0,
            legal_queue: Vec::new(),
            legal_pass_took: std::time::Duration::ZERO,
            letters: Default::default(),
            generation: 0,
        }
    }

    /// The keymap context of what has focus.
    pub fn ctx(&self) -> Ctx {
        match self.pane {
            Pane::Portfolio => Ctx::Portfolio,
            Pane::Dossier => Ctx::Dossier,
            Pane::Review => Ctx::Review,
            Pane::Actions => Ctx::Actions,
            Pane::Letters => Ctx::Letters,
            Pane::Dashboard => Ctx::Dashboard,
        }
    }

    fn form_dirty(&self) -> bool {
        self.overlays
            .iter()
            .any(|o| matches!(o, Overlay::Form(f) if f.form.dirty))
    }

    /// Applies a message; returns the requests for the worker.
    pub fn update(&mut self, msg: Msg) -> Vec<Request> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Resize => Vec::new(),
            Msg::Tick => vec![Request::Poll],
            Msg::Quit => {
                self.quit = true;
                Vec::new()
            }
            Msg::Reply(reply) => self.on_reply(reply),
        }
    }

    pub(super) fn reload_household(&mut self) -> Vec<Request> {
        match &self.dossier {
            Some(d) => {
                self.generation += 1;
                vec![Request::Household {
                    id: d.household_id,
                    generation: self.generation,
                }]
            }
            None => Vec::new(),
        }
    }

    /// Opens a household's dossier pane and asks for its file.
    pub fn open_household(&mut self, household_id: i64) -> Vec<Request> {
        if self.dossier.as_ref().map(|d| d.household_id) != Some(household_id) {
            self.dossier = Some(DossierPane::new(household_id));
        }
        self.pane = Pane::Dossier;
        self.reload_household()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Request> {
        self.flash = None;
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(c) = self.confirm {
            let yes = matches!(key.code, KeyCode::Char('o' | 'O' | 'y' | 'Y'));
            self.confirm = None;
            if yes {
                match c {
                    Confirm::Quit => self.quit = true,
                    Confirm::DropForm => {
                        self.overlays.pop();
                    }
                }
            }
            return Vec::new();
        }
        if ctrl_c {
            if self.form_dirty() {
                self.confirm = Some(Confirm::Quit);
            } else {
                self.quit = true;
            }
            return Vec::new();
        }
        if let Some(top) = self.overlays.last_mut() {
            return match top {
                Overlay::Lookup(_) => self.key_lookup(key),
                Overlay::Form(_) => self.key_form(key),
                Overlay::Kinds(_) => self.key_kinds(key),
                Overlay::Palette(_) => self.key_palette(key),
                Overlay::Help(scroll) => {
                    let max = self.help_max.get();
                    match key.code {
                        KeyCode::Down | KeyCode::Char('j') => *scroll = (*scroll + 1).min(max),
                        KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                        KeyCode::PageDown => *scroll = (*scroll + 10).min(max),
                        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                        _ => {
                            self.overlays.pop();
                        }
                    }
                    Vec::new()
                }
                Overlay::Event(_) | Overlay::Text(..) => {
                    self.overlays.pop();
                    Vec::new()
                }
            };
        }
        if self.review_captures_keys() {
            return self.key_review_capture(key);
        }
        match self.keymap.action(self.ctx(), &key) {
            Some(a) => self.perform(a),
            None => Vec::new(),
        }
    }

    /// Does what an action means here (from a key or the palette).
    pub fn perform(&mut self, action: Action) -> Vec<Request> {
        let today = self.today;
        if self.read_only && super::team::is_write(action) {
            self.flash = Some((super::team::read_only_message(&self.user), true));
            return Vec::new();
        }
        if action != Action::LettersGenerate {
            self.letters.armed = false;
        }
        match action {
            Action::GoLetters
            | Action::LettersToggle
            | Action::LettersToggleAll
            | Action::LettersReload
            | Action::LettersGenerate
            | Action::LettersExcluded => return self.perform_letters(action),
            Action::Quit => self.quit = true,
            Action::GoReview => return self.open_review(),
            Action::Open if self.pane == Pane::Review => return self.review_perform(action),
            Action::ReviewNext
            | Action::ReviewPrev
            | Action::ReviewDecide
            | Action::ReviewAgenda
            | Action::ReviewRemove
            | Action::ReviewAdd
            | Action::ReviewTimer
            | Action::ReviewNew
            | Action::ReviewClose
            | Action::ReviewDossier => return self.review_perform(action),
            Action::Help => self.overlays.push(Overlay::Help(0)),
            Action::Palette => self.overlays.push(Overlay::Palette(Palette::default())),
            Action::Lookup => {
                let mut l = Lookup::default();
                l.run(self.index.as_ref());
                self.overlays.push(Overlay::Lookup(l));
            }
            Action::GoPortfolio | Action::Back => self.pane = Pane::Portfolio,
            Action::GoActions => return self.go_actions(),
            Action::TickAction => return self.tick_action(),
            Action::AddAction => self.start_action_form(),
            Action::Open if self.pane == Pane::Actions => return self.open_from_actions(),
            Action::GoDossier => {
                if self.dossier.is_some() {
                    self.pane = Pane::Dossier;
                } else {
                    self.flash = Some((
                        "Aucun dossier ouvert : choisissez-en un (Entrée) ou cherchez (/)".into(),
                        true,
                    ));
                }
            }
            Action::ThemeNext => {
                let i = self
                    .theme_names
                    .iter()
                    .position(|n| *n == self.theme.name)
                    .unwrap_or(0);
                let next = self.theme_names[(i + 1) % self.theme_names.len()].clone();
                match Theme::load(&next, &self.themes_dir) {
                    Ok(t) => {
                        self.theme = t;
                        self.flash = Some((format!("Thème : {next}"), false));
                    }
                    Err(e) => self.flash = Some((e.to_string(), true)),
                }
            }
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => return self.navigate(action),
            Action::Open if self.pane == Pane::Portfolio => {
                if let Some(r) = self.portfolio.selected() {
                    let id = r.household_id;
                    return self.open_household(id);
                }
            }
            Action::Open => {
                let Some(d) = self.dossier.as_ref() else {
                    return Vec::new();
                };
                if let Some(e) = d.selected_event() {
                    self.overlays.push(Overlay::Event(Box::new(e.clone())));
                } else if let Some(x) = d.selected_deadline() {
                    let mut body = x.explanation.clone();
                    body.push_str(&format!("\n\nRéférence : {}", x.reference));
                    if x.unverified {
                        body.push_str(
                            "\nÀ VÉRIFIER : point marqué non vérifié par la recherche juridique.",
                        );
                    }
                    self.overlays.push(Overlay::Text(x.label.clone(), body));
                }
            }
            Action::ScopeNext => self.portfolio.next_scope(today),
            Action::SortNext => self.portfolio.sort_step(true, today),
            Action::SortPrev => self.portfolio.sort_step(false, today),
            Action::SortReverse => self.portfolio.reverse(today),
            Action::Filter => {
                let form = forms::filters_form(&self.portfolio.filters, &self.sectors, &self.staff);
                self.push_form(form, Purpose::Filters);
            }
            Action::Mine => {
                let mine = self.portfolio.filters.referent.as_deref() == Some(self.user.as_str());
                self.portfolio.filters.referent = if mine { None } else { Some(self.user.clone()) };
                if !mine && !self.staff.iter().any(|s| s.login == self.user) {
                    self.flash = Some((
                        format!(
                            "« {} » n'est référent d'aucun dossier de cette base (option --user)",
                            self.user
                        ),
                        true,
                    ));
                }
                self.portfolio.refresh(today, None);
            }
            Action::Overdue => {
                self.portfolio.filters.overdue = !self.portfolio.filters.overdue;
                self.portfolio.refresh(today, None);
            }
            Action::ClearFilters => {
                self.portfolio.filters = Default::default();
                self.portfolio.refresh(today, None);
            }
            Action::GoDashboard | Action::DashPeriod | Action::DashSector => {
                return self.dashboard_action(action);
            }
            Action::TabNext | Action::TabPrev if self.pane == Pane::Dashboard => {
                self.dashboard.step_section(action == Action::TabNext);
            }
            Action::TabNext | Action::TabPrev => {
                if let Some(d) = &mut self.dossier {
                    d.switch_tab(action == Action::TabNext);
                }
            }
            Action::AddEvent => {
                if self.loaded_file().is_some() {
                    self.overlays.push(Overlay::Kinds(KindPicker::default()));
                }
            }
            Action::AddReminder => self.start_event("reminder"),
            Action::ChangePhase | Action::FollowUp | Action::SignPlan => {
                self.start_dossier_form(action)
            }
        }
        Vec::new()
    }

    pub(super) fn loaded_file(&self) -> Option<&crate::domain::portfolio::HouseholdFile> {
        if self.pane != Pane::Dossier {
            return None;
        }
        self.dossier.as_ref().and_then(|d| d.file.as_deref())
    }

    pub(super) fn push_form(&mut self, form: Form, purpose: Purpose) {
        let base = super::team::form_base(self.loaded_file(), &purpose);
        self.overlays.push(Overlay::Form(FormState {
            form,
            purpose,
            pending: false,
            base,
        }));
    }

    pub(super) fn start_event(&mut self, code: &'static str) {
        let Some(file) = self.loaded_file() else {
            return;
        };
        let household_id = file.household.id;
        let debt = file.summary(self.today).balance;
        if code == "plan_signed" {
            if let Some(d) = file.open_dossier() {
                let form = forms::plan_setup_form(debt, self.today);
                let dossier_id = d.id;
                self.push_form(form, Purpose::PlanSetup { dossier_id });
            } else {
                self.flash = Some((
                    "Un plan se signe dans un dossier ouvert : enregistrez d'abord un évènement"
                        .into(),
                    true,
                ));
            }
            return;
        }
        let form = forms::event_form(code, self.today, debt);
        self.push_form(form, Purpose::Event { household_id, code });
    }

    fn start_dossier_form(&mut self, action: Action) {
        let Some(file) = self.loaded_file() else {
            return;
        };
        let Some(d) = file.open_dossier().cloned() else {
            self.flash = Some((
                "Aucun dossier ouvert pour ce ménage : un évènement en ouvre un".into(),
                true,
            ));
            return;
        };
        let debt = file.summary(self.today).balance;
        let (form, purpose) = match action {
            Action::ChangePhase => (
                forms::phase_form(&d, self.today),
                Purpose::Phase { dossier_id: d.id },
            ),
            Action::FollowUp => (
                forms::follow_up_form(&d, &self.staff),
                Purpose::FollowUp { dossier_id: d.id },
            ),
            _ => (
                forms::plan_setup_form(debt, self.today),
                Purpose::PlanSetup { dossier_id: d.id },
            ),
        };
        self.push_form(form, purpose);
    }

    fn navigate(&mut self, action: Action) -> Vec<Request> {
        let page = match self.pane {
            Pane::Letters => self.letters.page(),
            Pane::Portfolio => self.portfolio.page(),
            Pane::Actions => self.actions.page(),
            Pane::Dossier => self.dossier.as_ref().map(|d| d.page()).unwrap_or(10),
            Pane::Review => 10,
            Pane::Dashboard => 10,
        } as isize;
        let step = match action {
            Action::Down => Some(1),
            Action::Up => Some(-1),
            Action::PageDown => Some(page),
            Action::PageUp => Some(-page),
            _ => None,
        };
        match (self.pane, step) {
            (Pane::Actions, Some(s)) => self.actions.move_by(s),
            (Pane::Actions, None) => self.actions.jump(action == Action::Bottom),
            (Pane::Letters, Some(s)) => self.letters.move_by(s),
            (Pane::Letters, None) => self.letters.jump(action == Action::Bottom),
            (Pane::Portfolio, Some(s)) => self.portfolio.move_by(s),
            (Pane::Portfolio, None) => self.portfolio.jump(action == Action::Bottom),
            (Pane::Dossier, Some(s)) => {
                if let Some(d) = &mut self.dossier {
                    d.move_by(s)
                }
            }
            (Pane::Dossier, None) => {
                if let Some(d) = &mut self.dossier {
                    d.jump(action == Action::Bottom)
                }
            }
            (Pane::Review, s) => {
                let len = self.review.items.len() as isize;
                let step = s.unwrap_or(if action == Action::Bottom { len } else { -len });
                if self.review.move_by(step)
                    && self.review.mode == super::review_pane::Mode::Meeting
                {
                    return self.request_review_item();
                }
            }
            (Pane::Dashboard, _) => {}
        }
        Vec::new()
    }
}
