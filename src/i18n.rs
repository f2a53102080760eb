//! Every user-visible string of the window, in French and English, and numbers
//! formatted for the language (148 500 and 26,2 in French; 148,500 and 26.2 in English).

pub use crate::model::Lang;

/// Declares [`Msg`] and its texts side by side: a message is added in one
/// place, with its French and English text.
macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident => ($fr:expr, $en:expr $(,)?)),* $(,)?) => {
        /// A message of the UI. Model texts (labels, units, sources) come from
        /// the model file, which carries both languages itself.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg {
            $($(#[$doc])* $name,)*
        }

        impl Msg {
            /// Every message, in declaration order.
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];
        }

        /// The French and English texts of `msg`.
        fn texts(msg: Msg) -> (&'static str, &'static str) {
            match msg {
                $(Msg::$name => ($fr, $en),)*
            }
        }
    };
}

messages! {
    File => ("Fichier", "File"),
    New => ("Nouveau", "New"),
    Open => ("Ouvrir…", "Open…"),
    Save => ("Enregistrer", "Save"),
    SaveAs => ("Enregistrer sous…", "Save as…"),
    Quit => ("Quitter", "Quit"),
    Edit => ("Édition", "Edit"),
    Undo => ("Annuler", "Undo"),
    Redo => ("Rétablir", "Redo"),
    ResetAll => ("Tout réinitialiser", "Reset all"),
    View => ("Affichage", "View"),
    Language => ("Langue", "Language"),
    ThemeLight => ("Thème clair", "Light theme"),
    ThemeDark => ("Thème sombre", "Dark theme"),
    BySegment => ("Par segment", "By segment"),
    Fullscreen => ("Plein écran", "Full screen"),
    ZoomIn => ("Agrandir", "Zoom in"),
    ZoomOut => ("Réduire", "Zoom out"),
    ZoomReset => ("Taille normale", "Actual size"),
    Help => ("Aide", "Help"),
    About => ("À propos", "About"),
    Levers => ("Leviers", "Levers"),
    Reset => ("Réinit.", "Reset"),
    ResetTip => ("Remettre ce levier à sa valeur par défaut",
            "Put this lever back to its default"),
    DefaultMark => ("par défaut", "default"),
    /// The disclosure under an arrayed lever's one slider.
    ByElement => ("Par élément", "By element"),
    /// An arrayed lever whose elements differ: its slider sets them all.
    VariesByElement => ("Varie selon l’élément\u{a0}; le curseur les règle tous",
            "Varies by element; the slider sets them all"),
    Targets => ("Objectifs", "Targets"),
    PastPlans => ("Plans passés", "Past plans"),
    Scenario => ("Scénario", "Scenario"),
    Baseline => ("Référence (leviers par défaut)",
            "Baseline (default levers)"),
    Observed => ("Observé", "Observed"),
    Target => ("Objectif", "Target"),
    SeriesBreak => ("Rupture de série", "Series break"),
    Projection => ("Projection", "Projection"),
    History => ("Historique", "History"),
    Gap => ("Écart", "Gap"),
    Required => ("Croissance visée", "Growth required"),
    ScenarioGrowth => ("scénario", "scenario"),
    OnTrack => ("En bonne voie", "On track"),
    OffTrack => ("Hors trajectoire", "Off track"),
    Met => ("Atteint", "Met"),
    Missed => ("Manqué", "Missed"),
    PerYear => ("/an", "/yr"),
    From => ("depuis", "from"),
    Source => ("Source", "Source"),
    OutOfRange => ("Hors limites : entre", "Out of range: between"),
    NotANumber => ("Ce n'est pas un nombre", "Not a number"),
    TypedValueTip => ("Tapez une valeur puis Entrée",
            "Type a value, then press Enter"),
    LeverValue => ("valeur", "value"),
    SetPosition => ("Placer le levier ici", "Set the lever here"),
    Version => ("Version", "Version"),
    DataSources => ("Sources des données", "Data sources"),
    ModelLabel => ("Modèle", "Model"),
    HelpText => ("Déplacez un levier à gauche : les courbes et les écarts aux objectifs se recalculent aussitôt. \
             Trait plein : votre scénario ; trait gris : la référence (leviers par défaut) ; points : chiffres observés \
             (survolez-les pour la source) ; losanges : objectifs. La zone grisée est la projection. \
             Ctrl+T : objectifs et ce qu'il faut pour les atteindre ; Ctrl+K : calibrage ; \
             Ctrl+U : bandes d'incertitude et probabilités ; Ctrl+I : sensibilité. \
             Ctrl+Z / Ctrl+Y : annuler / rétablir ; F11 : plein écran ; Ctrl + / Ctrl - : taille du texte.",
            "Move a lever on the left: the curves and the gaps to the targets are recomputed at once. \
             Solid line: your scenario; grey line: the baseline (default levers); dots: observed figures \
             (hover for the source); diamonds: targets. The shaded area is the projection. \
             Ctrl+T: targets and what it takes to meet them; Ctrl+K: calibration; \
             Ctrl+U: uncertainty bands and odds; Ctrl+I: sensitivity. \
             Ctrl+Z / Ctrl+Y: undo / redo; F11: full screen; Ctrl + / Ctrl -: text size."),
    RunProblem => ("Calcul impossible", "Cannot compute"),
    FileError => ("Le fichier n'a pas pu être ouvert",
            "The file could not be opened"),
    Dismiss => ("OK", "OK"),
    Year => ("Année", "Year"),
    /// The brief (File > Export brief, `trajectoire brief`).
    BriefHeadline => ("L’essentiel", "Headline"),
    BriefLevers => ("Leviers modifiés", "Levers changed"),
    BriefCharts => ("Trajectoires", "Trajectories"),
    BriefWhatItTakes => ("Ce qu’il faudrait", "What it takes"),
    BriefAssumptions => ("Hypothèses", "Assumptions"),
    BriefReferences => ("Références", "References"),
    BriefFingerprint => ("Empreinte du fichier", "File fingerprint"),
    BriefNoFile => ("aucun fichier (scénario non enregistré)", "no file (scenario not saved)"),
    BriefDefaults => ("Leviers par défaut", "Default levers"),
    BriefNoTargets => ("Aucun objectif au-delà de la dernière année observée.",
            "No target lies beyond the last observed year."),
    BriefNoLeverChanged => ("Tous les leviers sont à leur valeur par défaut.",
            "Every lever is at its default."),
    BriefScenarioGrowth => ("Croissance du scénario", "Scenario growth"),
    BriefHistoricalGrowth => ("Croissance historique", "Historical growth"),
    BriefProbability => ("Probabilité de l’atteindre", "Probability of meeting it"),
    BriefSeek => ("Pour atteindre «\u{a0}{target}\u{a0}» en {year}\u{a0}: {lever} à {value} (aujourd’hui {now}).",
            "To reach “{target}” in {year}: {lever} at {value} (now {now})."),
    BriefSeekNone => ("«\u{a0}{target}\u{a0}» ({year})\u{a0}: aucun levier seul ne l’atteint dans sa plage.",
            "“{target}” ({year}): no single lever reaches it within its range."),
    BriefJoint => ("Tous les objectifs ensemble, au moindre changement\u{a0}:",
            "All targets together, with the least change:"),
    BriefJointUnmet => ("Même ensemble, les leviers n’atteignent pas tous les objectifs dans leurs plages.",
            "Even together, the levers do not meet every target within their ranges."),
    BriefAssumption => ("hypothèse", "assumption"),
    BriefParameter => ("Paramètre", "Parameter"),
    BriefPage => ("page", "page"),
    BriefUncertainty => ("Bandes\u{a0}: 5e à 95e centile sur {n}\u{a0}tirages.",
            "Bands: 5th to 95th percentile over {n} runs."),
    ChartsHint => ("Ce modèle n’a encore rien à tracer\u{a0}: ajoutez des variables dans Édition > Modèle, puis «\u{a0}Tracer\u{a0}» ou l’onglet Graphiques.",
            "This model has nothing to plot yet: add variables in Edit > Model, then Plot one or use the Charts tab."),
    Up => ("Dossier parent", "Up"),
    FileName => ("Nom du fichier", "File name"),
    Cancel => ("Annuler", "Cancel"),
    Recent => ("Récents", "Recent"),
    Examples => ("Exemples", "Examples"),
    UnsavedTitle => ("Modifications non enregistrées", "Unsaved changes"),
    UnsavedBody => ("Enregistrer les modifications de ce scénario avant de continuer ?",
            "Save the changes to this scenario before going on?"),
    Discard => ("Ne pas enregistrer", "Don't save"),
    SaveError => ("Le fichier n'a pas pu être enregistré",
            "The file could not be saved"),
    RecoveryTitle => ("Travail non enregistré retrouvé", "Unsaved work found"),
    RecoveryBody => ("Trajectoire s'est arrêté avec des modifications non enregistrées. Les restaurer ?",
            "Trajectoire stopped with unsaved changes. Restore them?"),
    Restore => ("Restaurer", "Restore"),
    CompareWith => ("Comparer avec…", "Compare with…"),
    ExportCsv => ("Exporter en CSV…", "Export as CSV…"),
    ExportBrief => ("Exporter la note (PDF)…", "Export brief (PDF)…"),
    ExportBriefHtml => ("Exporter la note (HTML)…", "Export brief (HTML)…"),
    ExportDeckBrief => ("Exporter la note de la présentation (PDF)…", "Export the deck's brief (PDF)…"),
    /// File > Publish explorer…: the scenario as one HTML page that runs offline.
    PublishExplorer => ("Publier l’explorateur…", "Publish explorer…"),
    PublishError => ("L’explorateur n’a pas pu être publié", "The explorer could not be published"),
    // The published explorer's own texts (`publish::page`).
    PageDownload => ("Télécharger le scénario", "Download scenario"),
    PageDownloadTip => ("Le scénario de ces leviers, en fichier que Trajectoire ouvre",
            "The scenario of these levers, as a file Trajectoire opens"),
    PageBaselineShort => ("référence", "baseline"),
    PagePrevious => ("Précédent", "Previous"),
    PageNext => ("Suivant", "Next"),
    PageBadFragment => ("Adresse ignorée en partie\u{a0}:", "Part of the address was ignored:"),
    PageOutOfRange => ("hors de la plage", "out of range"),
    PageUnknownLever => ("levier inconnu", "unknown lever"),
    PageBandsComputing => ("Bandes en calcul…", "Computing the bands…"),
    PageBandsNote => ("Bandes 5–95\u{a0}% sur {n}\u{a0}tirages", "5–95\u{a0}% bands over {n} runs"),
    PageOffline => ("Cette page calcule le modèle dans le navigateur, hors ligne.",
            "This page runs the model in your browser, offline."),
    PageStepKeys => ("Flèches\u{a0}: étape précédente ou suivante", "Arrow keys: previous or next step"),
    PageNoScript => ("Cette page a besoin de JavaScript pour calculer le modèle.",
            "This page needs JavaScript to run the model."),
    Compared => ("Scénarios comparés", "Compared scenarios"),
    Remove => ("Retirer", "Remove"),
    TargetValue => ("Valeur visée", "Target value"),
    CompareLimit => ("On compare au plus quatre scénarios : retirez-en un d'abord.",
            "At most four scenarios can be compared: remove one first."),
    CompareError => ("Le scénario n'a pas pu être comparé",
            "The scenario could not be compared"),
    ExportError => ("L'export n'a pas pu être écrit",
            "The export could not be written"),
    FirstReached => ("Atteint en", "Reached in"),
    HistoryGrowth => ("historique", "history"),
    WhatItTakes => ("Ce qu'il faut", "What it takes"),
    Lever => ("Levier", "Lever"),
    Find => ("Trouver la valeur du levier", "Find the lever value"),
    RankLevers => ("Classer les leviers", "Rank the levers"),
    Apply => ("Appliquer", "Apply"),
    Meets => ("l'atteint", "meets it"),
    CannotReach => ("Hors de portée", "Out of reach"),
    Move => ("Écart au défaut", "Move from default"),
    ShowTargets => ("Objectifs…", "Targets…"),
    Against => ("contre", "against"),
    InYear => ("en", "in"),
    AddTarget => ("Ajouter un objectif", "Add a target"),
    EditTarget => ("Modifier…", "Edit…"),
    EditTargetTip => ("Modifier cet objectif", "Edit this target"),
    RemoveTargetTip => ("Retirer cet objectif (et les rapports qui l'utilisent)",
            "Remove this target (and the ratios that use it)"),
    LabelField => ("Libellé", "Label"),
    Variable => ("Variable", "Variable"),
    ValueField => ("Valeur", "Value"),
    SaveTarget => ("Enregistrer l'objectif", "Save the target"),
    NeedLabel => ("Donnez un libellé à l'objectif.",
            "Give the target a label."),
    NeedSource => ("Indiquez la source de l'objectif.",
            "Give the target's source."),
    NeedNumber => ("La valeur doit être un nombre.",
            "The value must be a number."),
    UserTarget => ("objectif saisi", "user target"),
    SeveralTargets => ("Plusieurs objectifs à la fois", "Several targets at once"),
    TargetsToMeet => ("Objectifs à atteindre", "Targets to meet"),
    LeversThatMove => ("Leviers qui peuvent bouger", "Levers that may move"),
    SmallestMove => ("Trouver le plus petit mouvement", "Find the smallest move"),
    AllMet => ("Tous les objectifs choisis sont atteints.",
            "Every chosen target is met."),
    NotTogether => ("Impossibles à atteindre ensemble avec ces leviers :",
            "Cannot be met together with these levers:"),
    ChooseTargetsLevers => ("Cochez au moins un objectif et un levier.",
            "Tick at least one target and one lever."),
    Now => ("Actuel", "Now"),
    Proposed => ("Proposé", "Proposed"),
    ApplyAll => ("Appliquer tout", "Apply all"),
    ShowCalibration => ("Calibrer…", "Calibrate…"),
    Calibration => ("Calibrage et rétroprévision", "Calibration and hindcast"),
    CalibrationIntro => ("Ajuste les leviers choisis aux observations jusqu'à l'année choisie (moindres carrés sur les écarts relatifs), puis compare le modèle aux observations suivantes, qu'il n'a pas vues.",
            "Fits the chosen levers to the observations up to the chosen year (least squares on relative errors), then compares the model with the later observations, which it did not see."),
    LeversToFit => ("Leviers à ajuster", "Levers to fit"),
    ObservationsUpTo => ("Observations jusqu'à", "Observations up to"),
    Calibrate => ("Calibrer", "Calibrate"),
    Fitted => ("Ajusté", "Fitted"),
    FitUsed => ("Ajustement (observations utilisées)",
            "Fit (observations used)"),
    HindcastTitle => ("Rétroprévision : observations après",
            "Hindcast: observations after"),
    NotUsed => ("non utilisées", "not used"),
    Mape => ("Écart moyen (MAPE)", "Mean abs. error (MAPE)"),
    Points => ("Points", "Points"),
    Worst => ("Pire écart", "Worst error"),
    ShowHindcast => ("Montrer la rétroprévision sur les graphiques",
            "Show the hindcast on the charts"),
    HindcastName => ("Rétroprévision, données jusqu'à", "Hindcast, data to"),
    NoLeversChosen => ("Cochez au moins un levier à ajuster.",
            "Tick at least one lever to fit."),
    NoObservationsUpTo => ("Aucune observation retenue pour l'ajustement jusqu'à",
            "No observation counts for the fit up to"),
    CalibrationLever => ("Paramètre du passé, ajusté par calibrage",
            "A parameter of the past, set by calibration"),
    ModelError => ("La modification du modèle a été refusée",
            "The model edit was refused"),
    TabLevers => ("Réglage des leviers", "Lever settings"),
    Minimum => ("Minimum", "Minimum"),
    Maximum => ("Maximum", "Maximum"),
    StepField => ("Pas", "Step"),
    Uncertainty => ("Incertitude", "Uncertainty"),
    NoneWord => ("Aucune", "None"),
    Normal => ("Normale", "Normal"),
    LogNormal => ("Lognormale", "Lognormal"),
    Triangular => ("Triangulaire", "Triangular"),
    Uniform => ("Uniforme", "Uniform"),
    Mean => ("Moyenne", "Mean"),
    Sd => ("Écart-type", "Standard deviation"),
    Sigma => ("Sigma (log)", "Sigma (log)"),
    Low => ("Bas", "Low"),
    Mode => ("Mode", "Mode"),
    High => ("Haut", "High"),
    DateField => ("Date", "Date"),
    AddRow => ("Ajouter une ligne", "Add a row"),
    PasteRows => ("Coller des lignes d'un tableur (variable, année, valeur, source[, date]) :",
            "Paste rows from a spreadsheet (variable, year, value, source[, date]):"),
    AddPasted => ("Ajouter les lignes collées", "Add the pasted rows"),
    NoLookups => ("Ce modèle n'a pas de table.", "This model has no table."),
    DragPoints => ("Faites glisser un point pour le déplacer (les extrémités ne bougent que verticalement).",
            "Drag a point to move it (the ends move only up and down)."),
    TabObservations => ("Observations", "Observations"),
    TabLookups => ("Tables", "Tables"),
    TabVariables => ("Variables", "Variables"),
    NewVariable => ("Nouvelle variable", "New variable"),
    KindField => ("Nature", "Kind"),
    KindAux => ("Calculée", "Computed"),
    KindStock => ("Stock", "Stock"),
    KindData => ("Série de données", "Data series"),
    SaveModelAs => ("Enregistrer le modèle sous…", "Save the model as…"),
    EquationField => ("Équation", "Equation"),
    InitialField => ("Valeur initiale", "Initial value"),
    ChangeField => ("Variation par unité de temps", "Change per time unit"),
    InflowsField => ("Flux entrants", "Inflows"),
    StockGivenBy => ("Donné par", "Given by"),
    ByChange => ("sa variation", "its change"),
    ByFlows => ("ses flux", "its flows"),
    NonNegative => ("jamais négatif", "never negative"),
    TabTime => ("Temps", "Time"),
    NoLevers => (
        "Ce modèle n’a pas de levier\u{a0}: aucune de ses constantes n’est réglable.",
        "This model has no levers: none of its constants can be set."
    ),
    StartTime => ("Début", "Start"),
    StopTime => ("Fin", "Stop"),
    TimeUnitField => ("Unité de temps", "Time unit"),
    TimeStep => ("Pas de temps (dt)", "Time step (dt)"),
    SaveStep => ("Enregistrer", "Save"),
    EveryStep => ("à chaque pas", "every step"),
    ScheduleNote => (
        "Le pas change pendant la simulation (repris du modèle Vensim)\u{a0}:",
        "The step changes during the run (from the Vensim model):"
    ),
    ScheduleStretch => (
        "à partir de {from}\u{a0}: pas de {dt}, enregistré tous les {save}",
        "from {from}: a step of {dt}, saved every {save}"
    ),
    OneStepForAll => ("Un seul pas pour toute la simulation", "One step for the whole run"),
    Integration => ("Intégration", "Integration"),
    TimeStepsNote => (
        "{n}\u{a0}pas par simulation. Un pas plus fin suit mieux les retards et lissages, et coûte plus de calcul.",
        "{n} steps a run. A finer step follows delays and smooths more closely, at more computing cost."
    ),
    UnitYear => ("année", "year"),
    UnitQuarter => ("trimestre", "quarter"),
    UnitMonth => ("mois", "month"),
    UnitWeek => ("semaine", "week"),
    UnitDay => ("jour", "day"),
    OutflowsField => ("Flux sortants", "Outflows"),
    ModelEditor => ("Éditeur du modèle", "Model editor"),
    ShowModelEditor => ("Modèle…", "Model…"),
    Filter => ("Filtrer", "Filter"),
    NameField => ("Nom", "Name"),
    Rename => ("Renommer", "Rename"),
    Delete => ("Supprimer", "Delete"),
    Unit => ("Unité", "Unit"),
    /// The unit expression the units check reads, beside the display label.
    UnitExprField => ("Unité vérifiée", "Checked unit"),
    UnitExprTip => ("Ce que lit le contrôle des unités\u{a0}: job/year, kMAD/job,\u{a0}%/year, 1 (sans dimension). Vide\u{a0}: non vérifiée. L’unité affichée au-dessus n’est qu’un libellé.",
            "What the units check reads: job/year, kMAD/job, %/year, 1 (dimensionless). Empty: not checked. The unit above is only a label."),
    UnitsOk => ("Unités cohérentes", "Units agree"),
    TabDimensions => ("Dimensions", "Dimensions"),
    NewModelMenu => ("Nouveau modèle", "New model"),
    TemplateBlank => ("Vide", "Blank"),
    TemplateStockFlows => ("Un stock et ses flux", "A stock and its flows"),
    TemplatePipeline => ("Filière de talents", "Talent pipeline"),
    TemplateSegments => ("Secteur par segment", "Sector by segment"),
    EditInEditor => ("Modifier…", "Edit…"),
    StepShowsMap => ("Montrer la carte du modèle au lieu des graphiques",
            "Show the model map instead of the charts"),
    MapTooLarge => ("Ce modèle a {n}\u{a0}nœuds\u{a0}: trop pour dessiner sa carte ici. Ses boucles sont listées à côté.",
            "This model has {n} nodes: too many to draw its map here. Its loops are listed beside it."),
    MapFit => ("Tout voir", "Fit"),
    MapValuesAt => ("Valeurs en {t}", "Values in {t}"),
    MapHint => ("Glisser\u{a0}: déplacer · molette\u{a0}: zoom · double-clic\u{a0}: tracer",
            "Drag: move · scroll: zoom · double-click: plot"),
    MapTitle => ("Carte du modèle", "Model map"),
    ShowMap => ("Carte du modèle…", "Model map…"),
    LoopsCount => ("Boucles de rétroaction\u{a0}: {n}", "Feedback loops: {n}"),
    LoopsPartial => ("Liste incomplète\u{a0}: le modèle a plus de boucles que la recherche n’en parcourt.",
            "Partial list: the model has more loops than the search goes through."),
    NoLoops => ("Ce modèle n’a pas de boucle de rétroaction.", "This model has no feedback loop."),
    Reinforcing => ("renforçante", "reinforcing"),
    Balancing => ("équilibrante", "balancing"),
    Undetermined => ("polarité indéterminée", "polarity undetermined"),
    LoopName => ("Nom de la boucle", "Loop name"),
    TabCharts => ("Graphiques", "Charts"),
    DefaultChartsNote => ("Ce modèle ne déclare aucun graphique\u{a0}: la fenêtre montre ses stocks. Modifier la liste en fait les graphiques du modèle.",
            "This model declares no charts: the window shows its stocks. Editing the list makes them the model's own."),
    NewChart => ("Nouveau graphique", "New chart"),
    TitleFr => ("Titre (français)", "Title (French)"),
    TitleEn => ("Titre (anglais)", "Title (English)"),
    StackedField => ("Empilé (les séries s’additionnent)", "Stacked (the series add up)"),
    DetailField => ("Seulement dans la vue par segment", "Only in the by-segment view"),
    SeriesField => ("Séries", "Series"),
    RemoveSeries => ("Retirer cette série", "Remove this series"),
    AddSeries => ("Ajouter une série…", "Add a series…"),
    Plot => ("Tracer", "Plot"),
    PlotTip => ("Ajouter un graphique de cette variable", "Add a chart of this variable"),
    AlreadyPlotted => ("Un graphique montre déjà cette variable seule.",
            "A chart already shows this variable alone."),
    NewLever => ("Nouveau levier", "New lever"),
    NewTable => ("Nouvelle table", "New table"),
    PointsField => ("Points (x, y)", "Points (x, y)"),
    AddPoint => ("Ajouter un point", "Add a point"),
    RemovePoint => ("Retirer ce point", "Remove this point"),
    GroupField => ("Groupe", "Group"),
    GroupsField => ("Groupes de leviers", "Lever groups"),
    NewGroup => ("Nouveau groupe", "New group"),
    RemoveGroup => ("Retirer ce groupe", "Remove this group"),
    GroupInUse => ("Des leviers sont dans ce groupe\u{a0}: changez d’abord leur groupe.",
            "Levers are in this group: change their group first."),
    LabelFr => ("Libellé (français)", "Label (French)"),
    LabelEn => ("Libellé (anglais)", "Label (English)"),
    PositionsField => ("Repères sur le curseur", "Marks on the slider"),
    AddPosition => ("Ajouter un repère", "Add a mark"),
    /// A new mark's label, `{n}` its number.
    NewMark => ("Repère {n}", "Mark {n}"),
    RemovePosition => ("Retirer ce repère", "Remove this mark"),
    DimensionField => ("Dimension", "Dimension"),
    NoDimensions => ("Ce modèle n’a pas de dimension.", "This model has no dimension."),
    DimensionParts => ("Ses parties\u{a0}:", "Its parts:"),
    NewElement => ("Nouvel élément", "New element"),
    ElementField => ("Élément", "Element"),
    NewElementId => ("Nouvel identifiant", "New id"),
    AddElement => ("Ajouter l’élément", "Add the element"),
    /// An arrayed variable: the dimensions it is over.
    ArrayedOver => ("Sur les dimensions\u{a0}:", "Over the dimensions:"),
    ElementEquations => ("Équations propres à des éléments\u{a0}:", "Equations of some elements:"),
    AddElementEquation => ("Ajouter une équation d’élément", "Add an element equation"),
    RemoveElementEquation => ("Retirer cette équation d’élément", "Remove this element equation"),
    /// The `at` of an element equation: which elements it is for.
    ElementsField => ("Éléments (un par dimension, ou une sous-partie)", "Elements (one per dimension, or a subrange)"),
    DataPoints => ("Série de données, points :", "Data series, points:"),
    Complete => ("Compléter :", "Complete:"),
    Uses => ("Utilise", "Uses"),
    UsedBy => ("Utilisé par", "Used by"),
    ImageSize => ("Taille des images", "Image size"),
    ScreenSize => ("celle de l'écran", "the screen's"),
    ExportPng => ("Exporter les graphiques en PNG…",
            "Export the charts as PNG…"),
    ExportDeckPng => ("Exporter le diaporama en PNG…", "Export the deck as PNG…"),
    PngError => ("L'image n'a pas pu être écrite",
            "The image could not be written"),
    SaveDeck => ("Enregistrer le diaporama sous…", "Save the deck as…"),
    DeckTitle => ("Diaporama", "Deck"),
    ShowDeck => ("Diaporama…", "Deck…"),
    NewDeck => ("Nouveau diaporama", "New deck"),
    AddStep => ("Ajouter la vue actuelle comme étape",
            "Add the current view as a step"),
    MoveUp => ("Monter", "Move up"),
    MoveDown => ("Descendre", "Move down"),
    TitleField => ("Titre", "Title"),
    CaptionField => ("Légende", "Caption"),
    NotesField => ("Notes de l'orateur", "Presenter notes"),
    Step => ("Étape", "Step"),
    Notes => ("Notes", "Notes"),
    NextStep => ("Ensuite", "Next"),
    Present => ("Présenter", "Present"),
    PresentDeck => ("Présenter un diaporama…", "Present a deck…"),
    DeckError => ("Le diaporama n'a pas pu être ouvert",
            "The deck could not be opened"),
    TargetGone => ("Cet objectif n'existe plus.",
            "This target no longer exists."),
    Sensitivity => ("Sensibilité et incertitude…",
            "Sensitivity and uncertainty…"),
    SensitivityTitle => ("Sensibilité et incertitude", "Sensitivity and uncertainty"),
    ShowBands => ("Bandes d'incertitude", "Uncertainty bands"),
    Band90 => ("5–95 %", "5–95 %"),
    Band50 => ("25–75 %", "25–75 %"),
    Median => ("Médiane", "Median"),
    Odds => ("Probabilité de l'atteindre", "Probability of meeting it"),
    RunsWord => ("tirages", "runs"),
    RunsProgress => ("Incertitude : tirages", "Uncertainty: runs"),
    Runs => ("Tirages", "Runs"),
    Seed => ("Graine", "Seed"),
    Output => ("Résultat", "Output"),
    TornadoIntro => ("Chaque levier de son bas à son haut (5e et 95e centiles de son incertitude, sinon toute sa plage), les autres tenus ; l'écart le plus large en haut.",
            "Each lever from its low to its high end (the 5th and 95th percentiles of its uncertainty, else its whole range), the others held; the widest swing on top."),
    AtLow => ("au bas :", "at its low end:"),
    AtHigh => ("au haut :", "at its high end:"),
    LowEnd => ("Levier au bas", "Lever at its low end"),
    HighEnd => ("Levier au haut", "Lever at its high end"),
    OthersHeld => ("les autres leviers tenus", "the other levers held"),
    SobolTitle => ("Indices de Sobol", "Sobol indices"),
    SobolIntro => ("Part de la variance du résultat qu'explique chaque levier incertain, seul (premier ordre) et avec ses interactions (total).",
            "Share of the output's variance each uncertain lever explains, alone (first order) and with its interactions (total)."),
    Compute => ("Calculer", "Compute"),
    FirstOrder => ("Premier ordre", "First order"),
    TotalOrder => ("Total", "Total"),
    FirstOrderTip => ("Ce que la variance du résultat baisserait, en part, si l'on connaissait ce levier exactement.",
            "How much of the output's variance would go, as a share, if this lever were known exactly."),
    TotalOrderTip => ("La part de la variance où ce levier joue, seul ou avec d'autres : ce qui resterait si l'on connaissait tous les autres.",
            "The share of the variance this lever takes part in, alone or with others: what would remain if every other lever were known."),
    LookupMode => ("Hors des points", "Outside the points"),
    LookupContinuous => ("Extrémités maintenues", "Ends held"),
    LookupExtrapolate => ("Pentes prolongées", "End slopes continued"),
    LookupDiscrete => ("Paliers", "Steps"),
    /// The dialog asking for the data file of a Vensim model's data variables.
    RunDataTitle => ("Ouvrir le fichier de données du modèle…", "Open the model's data file…"),
    RunDataNeeded => ("Ce modèle Vensim lit des données fournies au moment de la simulation : choisissez son fichier de données (.tab, .csv, classeur), la colonne Time d’abord.",
            "This Vensim model reads data given when it is run: choose its data file (.tab, .csv, workbook), the Time column first."),
    /// File > Import observations…: next year's figures from a spreadsheet.
    ImportObservations => ("Importer des observations…", "Import observations…"),
    ImportTitle => ("Importer des observations", "Import observations"),
    ImportChooseFile => ("Choisir un fichier…", "Choose a file…"),
    ImportNoFile => ("Choisissez un classeur (.xlsx, .xls, .ods) ou un fichier texte (.csv, .tab, .tsv).",
            "Choose a workbook (.xlsx, .xls, .ods) or a text file (.csv, .tab, .tsv)."),
    ImportFileLabel => ("Fichier", "File"),
    ImportSheet => ("Feuille", "Sheet"),
    ImportLayout => ("Disposition", "Layout"),
    ImportYearsDown => ("Années en colonne (une ligne par année)", "Years down a column (one row per year)"),
    ImportYearsAcross => ("Années en ligne (une ligne par variable)", "Years across a row (one row per variable)"),
    ImportHeaderRow => ("Ligne des en-têtes", "Header row"),
    ImportYearColumn => ("Colonne des années", "Year column"),
    ImportNameColumn => ("Colonne des noms", "Name column"),
    ImportYearRow => ("Ligne des années", "Year row"),
    ImportPreview => ("Aperçu des premières lignes", "Preview of the first rows"),
    ImportMapColumns => ("Chaque colonne vers une variable du modèle", "Each column to a model variable"),
    ImportMapRows => ("Chaque ligne vers une variable du modèle", "Each row to a model variable"),
    /// A column of the table, by its letters: `Colonne C`.
    ImportColumn => ("Colonne {c}", "Column {c}"),
    /// A row of the table, by its number: `Ligne 3`.
    ImportRow => ("Ligne {r}", "Row {r}"),
    ImportIgnore => ("Ignorer", "Ignore"),
    ImportNothingToMap => ("Rien à associer après la ligne des en-têtes.", "Nothing to map after the header row."),
    ImportSourceTitle => ("Titre ou éditeur (obligatoire)", "Title or publisher (required)"),
    ImportUrl => ("Adresse (URL)", "Address (URL)"),
    ImportDefinition => ("Définition (facultatif)", "Definition (optional)"),
    ImportFit => ("Compter ces chiffres dans le calibrage", "Use these figures in the calibration fit"),
    ImportCheck => ("Avant d’importer", "Before importing"),
    /// How many observations the import adds.
    ImportNew => ("Nouvelles observations\u{202f}: {n}", "New observations: {n}"),
    /// How many existing observations it replaces.
    ImportReplaced => ("Remplacent une observation existante\u{202f}: {n}", "Replacing an existing observation: {n}"),
    ImportSkipped => ("Cellules illisibles, ignorées\u{202f}: {n}", "Cells that cannot be read, skipped: {n}"),
    ImportMore => ("… et {n} de plus", "… and {n} more"),
    ImportLineColumn => ("ligne {line}, colonne {col}", "line {line}, column {col}"),
    ImportNotNumber => ("{place}\u{202f}: «\u{a0}{text}\u{a0}» n’est pas un nombre", "{place}: “{text}” is not a number"),
    ImportNotYear => ("{place}\u{202f}: «\u{a0}{text}\u{a0}» n’est pas une année", "{place}: “{text}” is not a year"),
    ImportYearNotWhole => ("{place}\u{202f}: {year} n’est pas une année entière", "{place}: {year} is not a whole year"),
    ImportYearOutside => ("{place}\u{202f}: {year} est hors des années du modèle ({first}–{last})",
            "{place}: {year} is outside the model's years ({first}–{last})"),
    ImportNoYear => ("{place}\u{202f}: pas d’année pour ces chiffres", "{place}: no year for these figures"),
    ImportRepeated => ("{place}\u{202f}: une deuxième valeur pour {variable} en {year} (la première en {first})",
            "{place}: a second value for {variable} in {year} (the first at {first})"),
    ImportNeedSource => ("Indiquez la source des chiffres (titre ou éditeur)\u{202f}: une importation sans source est refusée.",
            "Give the figures' source (title or publisher): an import with no source is refused."),
    ImportNothing => ("Aucun chiffre à importer\u{202f}: associez au moins une colonne ou une ligne à une variable.",
            "No figure to import: map at least one column or row to a variable."),
    ImportApply => ("Importer", "Import"),
    ImportFileError => ("Le fichier n’a pas pu être lu", "The file could not be read"),
    NoUncertainty => ("Aucun levier de ce modèle n'a d'incertitude.",
            "No lever of this model has an uncertainty."),
}

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    let (fr, en) = texts(msg);
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

/// What breaks French typography in `fr`: a plain space, or none, before
/// `:` `;` `?` `!` `%` (URLs and times such as `12:30` aside), a plain space
/// between the digit groups of a number (`148 500`), and `...` for `…`.
/// With `narrow`, the space must be the narrow no-break space (U+202F, the
/// "fine" of French printers) that shipped texts use; otherwise a no-break
/// space (U+00A0) will do too, as in the window's own strings.
pub fn french_typography_faults(fr: &str, narrow: bool) -> Vec<String> {
    let ok = |c: char| c == '\u{202f}' || (!narrow && c == '\u{a0}');
    let chars: Vec<char> = fr.chars().collect();
    let mut faults = Vec::new();
    for (i, &c) in chars.iter().enumerate().skip(1) {
        let before = chars[i - 1];
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let punctuation = matches!(c, ':' | ';' | '?' | '!' | '%')
            && !(c == ':' && (next == '/' || next.is_ascii_digit()))
            && !in_url(&chars[..i]);
        if punctuation && !ok(before) {
            faults.push(format!(
                "a no-break space before `{c}` in « {} »",
                around(&chars, i)
            ));
        }
        let grouped = c.is_ascii_digit()
            && i >= 2
            && chars[i - 2].is_ascii_digit()
            && (before == ' ' || (narrow && before == '\u{a0}'))
            && chars[i..].iter().take_while(|d| d.is_ascii_digit()).count() == 3;
        if grouped {
            faults.push(format!(
                "a narrow no-break space in the number « {} »",
                around(&chars, i)
            ));
        }
    }
    if fr.contains("...") {
        faults.push("`…` rather than `...`".into());
    }
    faults
}

/// Whether the word that ends at the end of `before` is a URL.
fn in_url(before: &[char]) -> bool {
    let word: String = before
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    word.contains("://")
}

fn around(chars: &[char], i: usize) -> String {
    chars[i.saturating_sub(24)..(i + 8).min(chars.len())]
        .iter()
        .collect()
}

// Numbers formatted for the language live in `crate::numfmt`, shared with
// the command line; re-exported here for the window.
pub use crate::numfmt::{auto_decimals, fmt_auto, fmt_num, fmt_pct, grouped, parse_num};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_texts_follow_french_typography() {
        for &m in Msg::ALL {
            let fr = tr(Lang::Fr, m);
            let faults = french_typography_faults(fr, false);
            assert!(faults.is_empty(), "{m:?}: {}", faults.join("; "));
        }
    }

    #[test]
    fn the_typography_check_finds_what_it_should() {
        assert!(
            french_typography_faults("Emplois\u{202f}: 148\u{202f}500 (+10\u{202f}%)", true)
                .is_empty()
        );
        assert!(french_typography_faults("voir https://a.ma/x?y=1 et 12:30", true).is_empty());
        assert_eq!(french_typography_faults("Emplois : 1", true).len(), 1);
        assert_eq!(french_typography_faults("Emplois: 1", true).len(), 1);
        assert_eq!(french_typography_faults("148 500 emplois", true).len(), 1);
        assert_eq!(
            french_typography_faults("148\u{a0}500 emplois", true).len(),
            1
        );
        assert!(french_typography_faults("148\u{a0}500 emplois", false).is_empty());
        assert_eq!(
            french_typography_faults("en 2030 ; 10\u{a0}%", true).len(),
            2
        );
    }
}
