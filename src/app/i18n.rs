//! Every user-visible string of the window, in French and English, and numbers
//! formatted for the language (148 500 and 26,2 in French; 148,500 and 26.2 in English).

pub use crate::model::Lang;

/// A message of the UI. Model texts (labels, units, sources) come from the
/// model file, which carries both languages itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppTitle,
    File,
    New,
    Open,
    Save,
    SaveAs,
    Quit,
    Edit,
    Undo,
    Redo,
    ResetAll,
    View,
    Language,
    ThemeLight,
    ThemeDark,
    BySegment,
    Fullscreen,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Help,
    About,
    Levers,
    Reset,
    ResetTip,
    DefaultMark,
    Targets,
    PastPlans,
    Scenario,
    Baseline,
    Observed,
    Target,
    SeriesBreak,
    Projection,
    History,
    Gap,
    Required,
    ScenarioGrowth,
    OnTrack,
    OffTrack,
    Met,
    Missed,
    PerYear,
    From,
    Source,
    OutOfRange,
    NotANumber,
    TypedValueTip,
    LeverValue,
    SetPosition,
    ComingWithScenarios,
    Version,
    DataSources,
    ModelLabel,
    Close,
    HelpText,
    RunProblem,
    FileError,
    Dismiss,
    Year,
    ChartsHint,
    Up,
    FileName,
    Cancel,
    Recent,
    Examples,
    UnsavedTitle,
    UnsavedBody,
    Discard,
    SaveError,
    Untitled,
    RecoveryTitle,
    RecoveryBody,
    Restore,
    CompareWith,
    ExportCsv,
    Compared,
    Remove,
    TargetValue,
    CompareLimit,
    CompareError,
    ExportError,
    FirstReached,
    HistoryGrowth,
    WhatItTakes,
    Lever,
    Find,
    RankLevers,
    Apply,
    Meets,
    CannotReach,
    Move,
    ShowTargets,
    Against,
    InYear,
    AddTarget,
    EditTarget,
    EditTargetTip,
    RemoveTargetTip,
    LabelField,
    Variable,
    ValueField,
    SaveTarget,
    NeedLabel,
    NeedSource,
    NeedNumber,
    UserTarget,
    SeveralTargets,
    TargetsToMeet,
    LeversThatMove,
    SmallestMove,
    AllMet,
    NotTogether,
    ChooseTargetsLevers,
    Now,
    Proposed,
    ApplyAll,
    ShowCalibration,
    Calibration,
    CalibrationIntro,
    LeversToFit,
    ObservationsUpTo,
    Calibrate,
    Fitted,
    FitUsed,
    HindcastTitle,
    NotUsed,
    Mape,
    Points,
    Worst,
    ShowHindcast,
    HindcastName,
    NoLeversChosen,
    NoObservationsUpTo,
    CalibrationLever,
    ModelError,
    TabLevers,
    Minimum,
    Maximum,
    StepField,
    Uncertainty,
    NoneWord,
    Normal,
    LogNormal,
    Triangular,
    Uniform,
    Mean,
    Sd,
    Sigma,
    Low,
    Mode,
    High,
    DateField,
    AddRow,
    PasteRows,
    AddPasted,
    NoLookups,
    DragPoints,
    TabObservations,
    TabLookups,
    TabVariables,
    NewVariable,
    KindField,
    KindAux,
    KindStock,
    KindData,
    SaveModelAs,
    EquationField,
    InitialField,
    ChangeField,
    ModelEditor,
    ShowModelEditor,
    Filter,
    NameField,
    Rename,
    Delete,
    Unit,
    DataPoints,
    Complete,
    Uses,
    UsedBy,
    ImageSize,
    ScreenSize,
    ExportPng,
    ExportDeckPng,
    PngError,
    SaveDeck,
    DeckTitle,
    ShowDeck,
    NewDeck,
    AddStep,
    MoveUp,
    MoveDown,
    TitleField,
    CaptionField,
    NotesField,
    DeckSaved,
    Step,
    Notes,
    NextStep,
    Present,
    PresentDeck,
    DeckError,
    TargetGone,
    Sensitivity,
    SensitivityTitle,
    ShowBands,
    Band90,
    Band50,
    Median,
    Odds,
    RunsWord,
    RunsProgress,
    Runs,
    Seed,
    Output,
    TornadoIntro,
    AtLow,
    AtHigh,
    LowEnd,
    HighEnd,
    OthersHeld,
    SobolTitle,
    SobolIntro,
    Compute,
    FirstOrder,
    TotalOrder,
    FirstOrderTip,
    TotalOrderTip,
    NoUncertainty,
}

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    let (fr, en) = match msg {
        Msg::AppTitle => ("Trajectoire", "Trajectoire"),
        Msg::File => ("Fichier", "File"),
        Msg::New => ("Nouveau", "New"),
        Msg::Open => ("Ouvrir…", "Open…"),
        Msg::Save => ("Enregistrer", "Save"),
        Msg::SaveAs => ("Enregistrer sous…", "Save as…"),
        Msg::Quit => ("Quitter", "Quit"),
        Msg::Edit => ("Édition", "Edit"),
        Msg::Undo => ("Annuler", "Undo"),
        Msg::Redo => ("Rétablir", "Redo"),
        Msg::ResetAll => ("Tout réinitialiser", "Reset all"),
        Msg::View => ("Affichage", "View"),
        Msg::Language => ("Langue", "Language"),
        Msg::ThemeLight => ("Thème clair", "Light theme"),
        Msg::ThemeDark => ("Thème sombre", "Dark theme"),
        Msg::BySegment => ("Par segment", "By segment"),
        Msg::Fullscreen => ("Plein écran", "Full screen"),
        Msg::ZoomIn => ("Agrandir", "Zoom in"),
        Msg::ZoomOut => ("Réduire", "Zoom out"),
        Msg::ZoomReset => ("Taille normale", "Actual size"),
        Msg::Help => ("Aide", "Help"),
        Msg::About => ("À propos", "About"),
        Msg::Levers => ("Leviers", "Levers"),
        Msg::Reset => ("Réinit.", "Reset"),
        Msg::ResetTip => (
            "Remettre ce levier à sa valeur par défaut",
            "Put this lever back to its default",
        ),
        Msg::DefaultMark => ("par défaut", "default"),
        Msg::Targets => ("Objectifs", "Targets"),
        Msg::PastPlans => ("Plans passés", "Past plans"),
        Msg::Scenario => ("Scénario", "Scenario"),
        Msg::Baseline => (
            "Référence (leviers par défaut)",
            "Baseline (default levers)",
        ),
        Msg::Observed => ("Observé", "Observed"),
        Msg::Target => ("Objectif", "Target"),
        Msg::SeriesBreak => ("Rupture de série", "Series break"),
        Msg::Projection => ("Projection", "Projection"),
        Msg::History => ("Historique", "History"),
        Msg::Gap => ("Écart", "Gap"),
        Msg::Required => ("Croissance requise", "Growth required"),
        Msg::ScenarioGrowth => ("scénario", "scenario"),
        Msg::OnTrack => ("En bonne voie", "On track"),
        Msg::OffTrack => ("Hors trajectoire", "Off track"),
        Msg::Met => ("Atteint", "Met"),
        Msg::Missed => ("Manqué", "Missed"),
        Msg::PerYear => ("/an", "/yr"),
        Msg::From => ("depuis", "from"),
        Msg::Source => ("Source", "Source"),
        Msg::OutOfRange => ("Hors limites : entre", "Out of range: between"),
        Msg::NotANumber => ("Ce n'est pas un nombre", "Not a number"),
        Msg::TypedValueTip => (
            "Tapez une valeur puis Entrée",
            "Type a value, then press Enter",
        ),
        Msg::LeverValue => ("valeur", "value"),
        Msg::SetPosition => ("Placer le levier ici", "Set the lever here"),
        Msg::ComingWithScenarios => (
            "Arrive avec les fichiers de scénario",
            "Comes with scenario files",
        ),
        Msg::Version => ("Version", "Version"),
        Msg::DataSources => ("Sources des données", "Data sources"),
        Msg::ModelLabel => ("Modèle", "Model"),
        Msg::Close => ("Fermer", "Close"),
        Msg::HelpText => (
            "Déplacez un levier à gauche : les courbes et les écarts aux objectifs se recalculent aussitôt. \
             Trait plein : votre scénario ; trait gris : la référence (leviers par défaut) ; points : chiffres observés \
             (survolez-les pour la source) ; losanges : objectifs. La zone grisée est la projection. \
             Ctrl+T : objectifs et ce qu'il faut pour les atteindre ; Ctrl+K : calibrage ; \
             Ctrl+U : bandes d'incertitude et probabilités ; Ctrl+I : sensibilité. \
             Ctrl+Z / Ctrl+Y : annuler / rétablir ; F11 : plein écran ; Ctrl + / Ctrl - : taille du texte.",
            "Move a lever on the left: the curves and the gaps to the targets are recomputed at once. \
             Solid line: your scenario; grey line: the baseline (default levers); dots: observed figures \
             (hover for the source); diamonds: targets. The shaded area is the projection. \
             Ctrl+T: targets and what it takes to meet them; Ctrl+K: calibration; \
             Ctrl+U: uncertainty bands and odds; Ctrl+I: sensitivity. \
             Ctrl+Z / Ctrl+Y: undo / redo; F11: full screen; Ctrl + / Ctrl -: text size.",
        ),
        Msg::RunProblem => ("Calcul impossible", "Cannot compute"),
        Msg::FileError => (
            "Le fichier n'a pas pu être ouvert",
            "The file could not be opened",
        ),
        Msg::Dismiss => ("OK", "OK"),
        Msg::Year => ("Année", "Year"),
        Msg::Up => ("Dossier parent", "Up"),
        Msg::FileName => ("Nom du fichier", "File name"),
        Msg::Cancel => ("Annuler", "Cancel"),
        Msg::Recent => ("Récents", "Recent"),
        Msg::Examples => ("Exemples", "Examples"),
        Msg::UnsavedTitle => ("Modifications non enregistrées", "Unsaved changes"),
        Msg::UnsavedBody => (
            "Enregistrer les modifications de ce scénario avant de continuer ?",
            "Save the changes to this scenario before going on?",
        ),
        Msg::Discard => ("Ne pas enregistrer", "Don't save"),
        Msg::SaveError => (
            "Le fichier n'a pas pu être enregistré",
            "The file could not be saved",
        ),
        Msg::Untitled => ("Sans titre", "Untitled"),
        Msg::RecoveryTitle => ("Travail non enregistré retrouvé", "Unsaved work found"),
        Msg::RecoveryBody => (
            "Trajectoire s'est arrêté avec des modifications non enregistrées. Les restaurer ?",
            "Trajectoire stopped with unsaved changes. Restore them?",
        ),
        Msg::Restore => ("Restaurer", "Restore"),
        Msg::CompareWith => ("Comparer avec…", "Compare with…"),
        Msg::ExportCsv => ("Exporter en CSV…", "Export as CSV…"),
        Msg::Compared => ("Scénarios comparés", "Compared scenarios"),
        Msg::Remove => ("Retirer", "Remove"),
        Msg::TargetValue => ("Valeur visée", "Target value"),
        Msg::CompareLimit => (
            "On compare au plus quatre scénarios : retirez-en un d'abord.",
            "At most four scenarios can be compared: remove one first.",
        ),
        Msg::CompareError => (
            "Le scénario n'a pas pu être comparé",
            "The scenario could not be compared",
        ),
        Msg::FirstReached => ("Atteint en", "Reached in"),
        Msg::HistoryGrowth => ("historique", "history"),
        Msg::WhatItTakes => ("Ce qu'il faut", "What it takes"),
        Msg::Lever => ("Levier", "Lever"),
        Msg::Find => ("Trouver la valeur du levier", "Find the lever value"),
        Msg::RankLevers => ("Classer les leviers", "Rank the levers"),
        Msg::Apply => ("Appliquer", "Apply"),
        Msg::Meets => ("l'atteint", "meets it"),
        Msg::CannotReach => ("Hors de portée", "Out of reach"),
        Msg::Move => ("Écart au défaut", "Move from default"),
        Msg::ShowTargets => ("Objectifs…", "Targets…"),
        Msg::Against => ("contre", "against"),
        Msg::InYear => ("en", "in"),
        Msg::TabLevers => ("Réglage des leviers", "Lever settings"),
        Msg::Minimum => ("Minimum", "Minimum"),
        Msg::Maximum => ("Maximum", "Maximum"),
        Msg::StepField => ("Pas", "Step"),
        Msg::Uncertainty => ("Incertitude", "Uncertainty"),
        Msg::NoneWord => ("Aucune", "None"),
        Msg::Normal => ("Normale", "Normal"),
        Msg::LogNormal => ("Lognormale", "Lognormal"),
        Msg::Triangular => ("Triangulaire", "Triangular"),
        Msg::Uniform => ("Uniforme", "Uniform"),
        Msg::Mean => ("Moyenne", "Mean"),
        Msg::Sd => ("Écart-type", "Standard deviation"),
        Msg::Sigma => ("Sigma (log)", "Sigma (log)"),
        Msg::Low => ("Bas", "Low"),
        Msg::Mode => ("Mode", "Mode"),
        Msg::High => ("Haut", "High"),
        Msg::DateField => ("Date", "Date"),
        Msg::AddRow => ("Ajouter une ligne", "Add a row"),
        Msg::PasteRows => (
            "Coller des lignes d'un tableur (variable, année, valeur, source[, date]) :",
            "Paste rows from a spreadsheet (variable, year, value, source[, date]):",
        ),
        Msg::AddPasted => ("Ajouter les lignes collées", "Add the pasted rows"),
        Msg::NoLookups => ("Ce modèle n'a pas de table.", "This model has no table."),
        Msg::DragPoints => (
            "Faites glisser un point pour le déplacer (les extrémités ne bougent que verticalement).",
            "Drag a point to move it (the ends move only up and down).",
        ),
        Msg::TabObservations => ("Observations", "Observations"),
        Msg::TabLookups => ("Tables", "Tables"),
        Msg::TabVariables => ("Variables", "Variables"),
        Msg::NewVariable => ("Nouvelle variable", "New variable"),
        Msg::KindField => ("Nature", "Kind"),
        Msg::KindAux => ("Calculée", "Computed"),
        Msg::KindStock => ("Stock", "Stock"),
        Msg::KindData => ("Série de données", "Data series"),
        Msg::SaveModelAs => ("Enregistrer le modèle sous…", "Save the model as…"),
        Msg::EquationField => ("Équation", "Equation"),
        Msg::InitialField => ("Valeur initiale", "Initial value"),
        Msg::ChangeField => ("Variation annuelle", "Yearly change"),
        Msg::ModelEditor => ("Éditeur du modèle", "Model editor"),
        Msg::ShowModelEditor => ("Modèle…", "Model…"),
        Msg::Filter => ("Filtrer", "Filter"),
        Msg::NameField => ("Nom", "Name"),
        Msg::Rename => ("Renommer", "Rename"),
        Msg::Delete => ("Supprimer", "Delete"),
        Msg::Unit => ("Unité", "Unit"),
        Msg::DataPoints => ("Série de données, points :", "Data series, points:"),
        Msg::Complete => ("Compléter :", "Complete:"),
        Msg::Uses => ("Utilise", "Uses"),
        Msg::UsedBy => ("Utilisé par", "Used by"),
        Msg::ImageSize => ("Taille des images", "Image size"),
        Msg::ScreenSize => ("celle de l'écran", "the screen's"),
        Msg::ExportPng => (
            "Exporter les graphiques en PNG…",
            "Export the charts as PNG…",
        ),
        Msg::ExportDeckPng => ("Exporter le diaporama en PNG…", "Export the deck as PNG…"),
        Msg::PngError => (
            "L'image n'a pas pu être écrite",
            "The image could not be written",
        ),
        Msg::SaveDeck => ("Enregistrer le diaporama sous…", "Save the deck as…"),
        Msg::DeckTitle => ("Diaporama", "Deck"),
        Msg::ShowDeck => ("Diaporama…", "Deck…"),
        Msg::NewDeck => ("Nouveau diaporama", "New deck"),
        Msg::AddStep => (
            "Ajouter la vue actuelle comme étape",
            "Add the current view as a step",
        ),
        Msg::MoveUp => ("Monter", "Move up"),
        Msg::MoveDown => ("Descendre", "Move down"),
        Msg::TitleField => ("Titre", "Title"),
        Msg::CaptionField => ("Légende", "Caption"),
        Msg::NotesField => ("Notes de l'orateur", "Presenter notes"),
        Msg::DeckSaved => ("Diaporama enregistré", "Deck saved"),
        Msg::Step => ("Étape", "Step"),
        Msg::Notes => ("Notes", "Notes"),
        Msg::NextStep => ("Ensuite", "Next"),
        Msg::Present => ("Présenter", "Present"),
        Msg::PresentDeck => ("Présenter un diaporama…", "Present a deck…"),
        Msg::DeckError => (
            "Le diaporama n'a pas pu être ouvert",
            "The deck could not be opened",
        ),
        Msg::TargetGone => (
            "Cet objectif n'existe plus.",
            "This target no longer exists.",
        ),
        Msg::SensitivityTitle => ("Sensibilité et incertitude", "Sensitivity and uncertainty"),
        Msg::Sensitivity => (
            "Sensibilité et incertitude…",
            "Sensitivity and uncertainty…",
        ),
        Msg::ShowBands => ("Bandes d'incertitude", "Uncertainty bands"),
        Msg::Band90 => ("5–95 %", "5–95 %"),
        Msg::Band50 => ("25–75 %", "25–75 %"),
        Msg::Median => ("Médiane", "Median"),
        Msg::Odds => ("Probabilité de l'atteindre", "Probability of meeting it"),
        Msg::RunsWord => ("tirages", "runs"),
        Msg::RunsProgress => ("Incertitude : tirages", "Uncertainty: runs"),
        Msg::Runs => ("Tirages", "Runs"),
        Msg::Seed => ("Graine", "Seed"),
        Msg::Output => ("Résultat", "Output"),
        Msg::TornadoIntro => (
            "Chaque levier de son bas à son haut (5e et 95e centiles de son incertitude, sinon toute sa plage), les autres tenus ; l'écart le plus large en haut.",
            "Each lever from its low to its high end (the 5th and 95th percentiles of its uncertainty, else its whole range), the others held; the widest swing on top.",
        ),
        Msg::AtLow => ("au bas :", "at its low end:"),
        Msg::AtHigh => ("au haut :", "at its high end:"),
        Msg::LowEnd => ("Levier au bas", "Lever at its low end"),
        Msg::HighEnd => ("Levier au haut", "Lever at its high end"),
        Msg::OthersHeld => ("les autres leviers tenus", "the other levers held"),
        Msg::SobolTitle => ("Indices de Sobol", "Sobol indices"),
        Msg::SobolIntro => (
            "Part de la variance du résultat qu'explique chaque levier incertain, seul (premier ordre) et avec ses interactions (total).",
            "Share of the output's variance each uncertain lever explains, alone (first order) and with its interactions (total).",
        ),
        Msg::Compute => ("Calculer", "Compute"),
        Msg::FirstOrder => ("Premier ordre", "First order"),
        Msg::TotalOrder => ("Total", "Total"),
        Msg::FirstOrderTip => (
            "Ce que la variance du résultat baisserait, en part, si l'on connaissait ce levier exactement.",
            "How much of the output's variance would go, as a share, if this lever were known exactly.",
        ),
        Msg::TotalOrderTip => (
            "La part de la variance où ce levier joue, seul ou avec d'autres : ce qui resterait si l'on connaissait tous les autres.",
            "The share of the variance this lever takes part in, alone or with others: what would remain if every other lever were known.",
        ),
        Msg::NoUncertainty => (
            "Aucun levier de ce modèle n'a d'incertitude.",
            "No lever of this model has an uncertainty.",
        ),
        Msg::AddTarget => ("Ajouter un objectif", "Add a target"),
        Msg::EditTarget => ("Modifier…", "Edit…"),
        Msg::EditTargetTip => ("Modifier cet objectif", "Edit this target"),
        Msg::RemoveTargetTip => (
            "Retirer cet objectif (et les rapports qui l'utilisent)",
            "Remove this target (and the ratios that use it)",
        ),
        Msg::LabelField => ("Libellé", "Label"),
        Msg::Variable => ("Variable", "Variable"),
        Msg::ValueField => ("Valeur", "Value"),
        Msg::SaveTarget => ("Enregistrer l'objectif", "Save the target"),
        Msg::NeedLabel => (
            "Donnez un libellé à l'objectif.",
            "Give the target a label.",
        ),
        Msg::NeedSource => (
            "Indiquez la source de l'objectif.",
            "Give the target's source.",
        ),
        Msg::NeedNumber => (
            "La valeur doit être un nombre.",
            "The value must be a number.",
        ),
        Msg::UserTarget => ("objectif saisi", "user target"),
        Msg::SeveralTargets => ("Plusieurs objectifs à la fois", "Several targets at once"),
        Msg::TargetsToMeet => ("Objectifs à atteindre", "Targets to meet"),
        Msg::LeversThatMove => ("Leviers qui peuvent bouger", "Levers that may move"),
        Msg::SmallestMove => ("Trouver le plus petit mouvement", "Find the smallest move"),
        Msg::AllMet => (
            "Tous les objectifs choisis sont atteints.",
            "Every chosen target is met.",
        ),
        Msg::NotTogether => (
            "Impossibles à atteindre ensemble avec ces leviers :",
            "Cannot be met together with these levers:",
        ),
        Msg::ChooseTargetsLevers => (
            "Cochez au moins un objectif et un levier.",
            "Tick at least one target and one lever.",
        ),
        Msg::Now => ("Actuel", "Now"),
        Msg::Proposed => ("Proposé", "Proposed"),
        Msg::ApplyAll => ("Appliquer tout", "Apply all"),
        Msg::ShowCalibration => ("Calibrer…", "Calibrate…"),
        Msg::Calibration => ("Calibrage et rétroprévision", "Calibration and hindcast"),
        Msg::CalibrationIntro => (
            "Ajuste les leviers choisis aux observations jusqu'à l'année choisie (moindres carrés sur les écarts relatifs), puis compare le modèle aux observations suivantes, qu'il n'a pas vues.",
            "Fits the chosen levers to the observations up to the chosen year (least squares on relative errors), then compares the model with the later observations, which it did not see.",
        ),
        Msg::LeversToFit => ("Leviers à ajuster", "Levers to fit"),
        Msg::ObservationsUpTo => ("Observations jusqu'à", "Observations up to"),
        Msg::Calibrate => ("Calibrer", "Calibrate"),
        Msg::Fitted => ("Ajusté", "Fitted"),
        Msg::FitUsed => (
            "Ajustement (observations utilisées)",
            "Fit (observations used)",
        ),
        Msg::HindcastTitle => (
            "Rétroprévision : observations après",
            "Hindcast: observations after",
        ),
        Msg::NotUsed => ("non utilisées", "not used"),
        Msg::Mape => ("Écart moyen (MAPE)", "Mean abs. error (MAPE)"),
        Msg::Points => ("Points", "Points"),
        Msg::Worst => ("Pire écart", "Worst error"),
        Msg::ShowHindcast => (
            "Montrer la rétroprévision sur les graphiques",
            "Show the hindcast on the charts",
        ),
        Msg::HindcastName => ("Rétroprévision, données jusqu'à", "Hindcast, data to"),
        Msg::NoLeversChosen => (
            "Cochez au moins un levier à ajuster.",
            "Tick at least one lever to fit.",
        ),
        Msg::NoObservationsUpTo => (
            "Aucune observation retenue pour l'ajustement jusqu'à",
            "No observation counts for the fit up to",
        ),
        Msg::CalibrationLever => (
            "Paramètre du passé, ajusté par calibrage",
            "A parameter of the past, set by calibration",
        ),
        Msg::ModelError => (
            "La modification du modèle a été refusée",
            "The model edit was refused",
        ),
        Msg::ExportError => (
            "L'export n'a pas pu être écrit",
            "The export could not be written",
        ),
        Msg::ChartsHint => (
            "Ce modèle ne déclare aucun graphique.",
            "This model declares no charts.",
        ),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// "Label : value" in French, "Label: value" in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

/// A number with `decimals` digits after the point, grouped by thousands:
/// `148 500` and `26,2` in French, `148,500` and `26.2` in English.
pub fn fmt_num(lang: Lang, x: f64, decimals: usize) -> String {
    let (group, point) = match lang {
        // A no-break space: the narrow one French typography prefers all but
        // vanishes in small type on a projector.
        Lang::Fr => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    grouped(x, decimals, group, point, '−').unwrap_or_else(|| "—".to_string())
}

/// `x` with `decimals` digits after `point`, thousands separated by `group`,
/// `minus` before a negative number that does not round to zero; `None` when
/// `x` is not finite.
pub fn grouped(x: f64, decimals: usize, group: char, point: char, minus: char) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push(minus);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    Some(out)
}

/// A sensible number of decimals for showing `x` to a person.
pub fn auto_decimals(x: f64) -> usize {
    let a = x.abs();
    if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 0.1 {
        2
    } else if a == 0.0 {
        0
    } else {
        3
    }
}

/// `x` with a sensible number of decimals.
pub fn fmt_auto(lang: Lang, x: f64) -> String {
    fmt_num(lang, x, auto_decimals(x))
}

/// A fraction as a signed percentage: `+12.5 %` / `+12,5 %`.
pub fn fmt_pct(lang: Lang, frac: f64, decimals: usize) -> String {
    if !frac.is_finite() {
        return "—".to_string();
    }
    let sign = if frac > 0.0 { "+" } else { "" };
    format!("{sign}{}\u{a0}%", fmt_num(lang, frac * 100.0, decimals))
}

/// Parses a number typed in either language's style: `148 500`, `148,500`,
/// `26,2`, `26.2`. A lone comma followed by exactly three digits in English
/// is a thousands separator; in French a comma is the decimal point.
pub fn parse_num(lang: Lang, text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202F}' | '_'))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if t.is_empty() {
        return None;
    }
    let normalised = match lang {
        Lang::Fr => t.replace(',', "."),
        // A single comma before one or two final digits is a decimal comma,
        // as pasted from a French sheet ("27,1"); otherwise commas group
        // thousands ("148,500").
        Lang::En => {
            let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
            match t.trim_start_matches('-').split_once(',') {
                Some((a, b)) if digits(a) && digits(b) && b.len() <= 2 => t.replace(',', "."),
                _ => t.replace(',', ""),
            }
        }
    };
    normalised.parse::<f64>().ok().filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(fmt_num(Lang::En, 148_500.0, 0), "148,500");
        assert_eq!(fmt_num(Lang::Fr, 148_500.0, 0), "148\u{a0}500");
        assert_eq!(fmt_num(Lang::En, 26.2, 1), "26.2");
        assert_eq!(fmt_num(Lang::Fr, 26.2, 1), "26,2");
        assert_eq!(fmt_num(Lang::En, -1234.5, 1), "−1,234.5");
        assert_eq!(fmt_num(Lang::En, -0.01, 1), "0.0");
        assert_eq!(fmt_pct(Lang::Fr, 0.105, 1), "+10,5\u{a0}%");
    }

    #[test]
    fn typed_numbers_in_both_styles() {
        assert_eq!(parse_num(Lang::Fr, "148 500"), Some(148_500.0));
        assert_eq!(parse_num(Lang::Fr, "26,2"), Some(26.2));
        assert_eq!(parse_num(Lang::En, "148,500"), Some(148_500.0));
        assert_eq!(parse_num(Lang::En, "1,148,500.5"), Some(1_148_500.5));
        assert_eq!(parse_num(Lang::En, "27,1"), Some(27.1));
        assert_eq!(parse_num(Lang::En, "26.2"), Some(26.2));
        assert_eq!(parse_num(Lang::En, "-3"), Some(-3.0));
        assert_eq!(parse_num(Lang::En, "lots"), None);
        assert_eq!(parse_num(Lang::En, "1e999"), None);
        assert_eq!(parse_num(Lang::En, ""), None);
    }
}
