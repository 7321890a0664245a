//! The command line (clap): `present` (the default), `notes`, `validate`, `check`, `run`,
//! `record`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::backend::aws::live::{LiveSettings, record};
use crate::backend::replay::Speed;
use crate::config::{self, ColorChoice};
use crate::deck::{self, DeckSource, ThemeName};
use crate::infra::outputs::StackFile;
use crate::runtime::headless;
use crate::runtime::present::{self, ModeChoice, PresentOptions, ReplayOptions};
use crate::ui::theme::Theme;

/// A terminal talk about moving software from x86_64 to arm64, with build panes.
#[derive(Debug, Parser)]
#[command(name = "arm64-demo", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Commands>,
    #[command(flatten)]
    present: PresentArgs,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Present a deck (the default): the bundled one, or the deck folder DIR.
    Present(PresentArgs),
    /// Show the speaker notes of a running presentation of the same deck, in a second terminal.
    Notes(NotesArgs),
    /// Check a deck and list its slides, without presenting it.
    Validate(DeckArgs),
    /// Check what a live talk needs: credentials, region, the deck's CodeBuild projects and
    /// log groups, the terminal. Exits non-zero when something required is missing.
    Check(CheckArgs),
    /// Start a scenario's builds on CodeBuild (or follow its latest with --attach) and stream
    /// their status and logs as text. Exits 0 when every build ended as expected.
    Run(RunArgs),
    /// Follow a scenario's latest live builds to their end and save them as a recording that
    /// offline talks replay.
    Record(RecordArgs),
    /// Create or update the AWS side of a live talk (infra/arm64-demo.yaml) and upload the
    /// demo sources; a second run with nothing changed does nothing.
    Deploy(crate::infra::DeployArgs),
    /// Empty and delete everything `deploy` created, after a confirmation.
    Destroy(crate::infra::DestroyArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The scenario id (`arm64-demo validate` lists the deck; e.g. native-build).
    scenario: String,
    /// Follow the scenario's latest builds instead of starting new ones.
    #[arg(long)]
    attach: bool,
    /// A deck folder; the bundled deck when absent.
    #[arg(long, value_name = "DIR")]
    deck: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Debug, Args)]
struct RecordArgs {
    /// The scenario id.
    scenario: String,
    /// Where to write `<scenario>.jsonl` (default: $XDG_DATA_HOME/arm64-demo/recordings, which
    /// replays read before the bundled recordings).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// A deck folder; the bundled deck when absent.
    #[arg(long, value_name = "DIR")]
    deck: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    deck: DeckArgs,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Where AWS is: the standard credential chain, narrowed here.
#[derive(Debug, Args, Default)]
struct AwsArgs {
    /// A named profile of the AWS config files.
    #[arg(long)]
    profile: Option<String>,
    /// The AWS region (default: the deck's, then the environment or profile).
    #[arg(long)]
    region: Option<String>,
    /// Send AWS calls to this endpoint (e.g. a local AWS protocol server); AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

#[derive(Debug, Args, Default)]
struct DeckArgs {
    /// A deck folder (deck.toml and *.md); the bundled deck when absent.
    dir: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
struct PresentArgs {
    #[command(flatten)]
    deck: DeckArgs,
    /// Replay recorded builds; never contact AWS (the default).
    #[arg(long, conflicts_with = "live")]
    offline: bool,
    /// Start and follow real CodeBuild builds; fails at once without credentials or a region.
    /// Without --live or --offline, the talk goes live by itself when AWS is usable.
    #[arg(long)]
    live: bool,
    /// Start and stop live builds without asking first.
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    aws: AwsArgs,
    /// Reload the deck when a file in its folder changes.
    #[arg(long)]
    watch: bool,
    /// Replay speed in recorded seconds per real second (default: fit the longest recording
    /// into about 75 s; the bars still show real-world minutes).
    #[arg(long, value_name = "N", value_parser = parse_speed)]
    replay_speed: Option<f64>,
    /// Start every scenario as the talk begins, so later slides show where each one is.
    #[arg(long)]
    start_all: bool,
    /// Log lines kept per build; older lines are dropped and counted.
    #[arg(long, value_name = "N", default_value_t = crate::builds::log::DEFAULT_CAP)]
    log_lines: usize,
    #[command(flatten)]
    look: LookArgs,
}

#[derive(Debug, Args, Default)]
struct LookArgs {
    /// Colour theme (overrides deck.toml and the config file).
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
    /// Colour depth; `auto` uses truecolor only when the terminal announces it (COLORTERM).
    #[arg(long, value_enum)]
    color: Option<ColorChoice>,
    /// Config file (default: $XDG_CONFIG_HOME/arm64-demo/config.toml).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct NotesArgs {
    #[command(flatten)]
    deck: DeckArgs,
    #[command(flatten)]
    look: LookArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ThemeArg {
    Dark,
    Light,
}

impl From<ThemeArg> for ThemeName {
    fn from(t: ThemeArg) -> Self {
        match t {
            ThemeArg::Dark => ThemeName::Dark,
            ThemeArg::Light => ThemeName::Light,
        }
    }
}

impl DeckArgs {
    fn source(&self) -> DeckSource {
        self.dir.clone().map_or(DeckSource::Bundled, DeckSource::Folder)
    }
}

/// Runs the command line; errors are printed here, with the terminal in its normal state.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::logging::init();
    let result = match cli.command {
        None => present(cli.present),
        Some(Commands::Present(args)) => present(args),
        Some(Commands::Notes(args)) => notes(args),
        Some(Commands::Validate(args)) => validate(args),
        Some(Commands::Check(args)) => check(args),
        Some(Commands::Run(args)) => {
            let mode = if args.attach { headless::Mode::Attach } else { headless::Mode::Start };
            headless(args.scenario, args.deck, args.aws, None, mode)
        }
        Some(Commands::Record(args)) => headless(args.scenario, args.deck, args.aws, args.out, headless::Mode::Record),
        Some(Commands::Deploy(args)) => crate::infra::deploy_command(args),
        Some(Commands::Destroy(args)) => crate::infra::destroy_command(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("arm64-demo: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn present(args: PresentArgs) -> anyhow::Result<()> {
    let config = config::load(args.look.config.as_deref())?;
    let theme_override = args.look.theme.map(ThemeName::from).or(config.theme);
    let source = args.deck.source();
    if args.watch && source.folder().is_none() {
        anyhow::bail!("--watch needs a deck folder: `arm64-demo present slides --watch`");
    }
    // The deck is checked before the terminal is touched, so an error prints plainly. Code is
    // highlighted after the first frame (see `present::run`).
    let mut deck = deck::load_plain(&source, theme_override)?;
    let depth = args.look.color.unwrap_or(config.color).depth();
    // Recordings beside a deck folder (its project's recordings/) override the bundled ones.
    let folder = source.folder().map(|d| d.join("..").join("recordings")).filter(|d| d.is_dir());
    let speed = args.replay_speed.map_or(Speed::Fit, Speed::Factor);
    let replay = ReplayOptions { speed, folder, start_all: args.start_all, log_lines: args.log_lines.max(1) };
    let rt = runtime()?;
    let stack = deployed_stack();
    let aws = args.aws.options(&deck, stack.as_ref());
    let mode = if args.live {
        // Fails here, before the terminal is touched, with the reason.
        ModeChoice::Live(Box::new(rt.block_on(crate::backend::aws::load_for_live(&aws))?))
    } else if args.offline {
        ModeChoice::Offline
    } else {
        ModeChoice::Auto(aws)
    };
    let live_settings = live_settings(&deck, stack.as_ref(), None);
    // The pipeline pane follows the deployed stack's pipeline when the deck names none.
    deck.meta.pipeline = live_settings.pipeline.clone();
    deck.meta.source = live_settings.source.clone();
    let opts = PresentOptions {
        source,
        deck,
        theme_override,
        depth,
        keymap: config.keymap,
        watch: args.watch,
        replay,
        mode,
        live_settings,
        yes: args.yes,
    };
    rt.block_on(present::run(opts))
}

impl AwsArgs {
    /// The options: the region given, else the deck's, else the deployed stack's, else the
    /// environment's.
    fn options(&self, deck: &deck::Deck, stack: Option<&StackFile>) -> crate::backend::aws::AwsOptions {
        crate::backend::aws::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone().or_else(|| deck.meta.region.clone()).or(stack.map(|s| s.region.clone())),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}

/// What `deploy` wrote, if anything; a broken file is reported and otherwise ignored.
fn deployed_stack() -> Option<StackFile> {
    crate::infra::outputs::load().unwrap_or_else(|e| {
        tracing::warn!("{e:#}");
        None
    })
}

/// Where the live backend works: the deck's source zip and pipeline, else the deployed stack's;
/// recordings in `recordings`, else the user's folder.
fn live_settings(deck: &deck::Deck, stack: Option<&StackFile>, recordings: Option<PathBuf>) -> LiveSettings {
    let stack_source = stack.and_then(|s| Some(format!("{}/{}", s.source_bucket()?, s.source_key()?)));
    LiveSettings {
        source: deck.meta.source.clone().or(stack_source),
        pipeline: deck.meta.pipeline.clone().or_else(|| stack.and_then(|s| s.pipeline().map(String::from))),
        recordings: recordings.or_else(record::user_dir),
    }
}

fn headless(
    scenario: String,
    dir: Option<PathBuf>,
    aws: AwsArgs,
    out: Option<PathBuf>,
    mode: headless::Mode,
) -> anyhow::Result<()> {
    let source = dir.map_or(DeckSource::Bundled, DeckSource::Folder);
    let deck = deck::load_plain(&source, None)?;
    let stack = deployed_stack();
    let opts = aws.options(&deck, stack.as_ref());
    let settings = live_settings(&deck, stack.as_ref(), out);
    let ok = runtime()?.block_on(async {
        let config = crate::backend::aws::load_for_live(&opts).await?;
        headless::run(config, &deck, source.root(), settings, &scenario, mode, &mut std::io::stdout()).await
    })?;
    if !ok {
        anyhow::bail!("not every build of {scenario} ended as expected");
    }
    Ok(())
}

fn notes(args: NotesArgs) -> anyhow::Result<()> {
    let config = config::load(args.look.config.as_deref())?;
    let theme = args.look.theme.map(ThemeName::from).or(config.theme).unwrap_or_default();
    let depth = args.look.color.unwrap_or(config.color).depth();
    let socket = crate::notes::socket_path(&args.deck.source().identity());
    runtime()?.block_on(crate::notes::client::run(socket, Theme::new(theme, depth)))
}

fn validate(args: DeckArgs) -> anyhow::Result<()> {
    let deck = deck::load(&args.source(), None)?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) ends the listing quietly.
    let _ =
        writeln!(out, "{}: {} slides, {} scenarios", deck.meta.title, deck.slides.len(), deck.catalog.scenarios.len());
    for (i, s) in deck.slides.iter().enumerate() {
        if writeln!(out, "{:>3}  {}  ({}:{})", i + 1, s.title, s.file, s.line).is_err() {
            break;
        }
    }
    Ok(())
}

fn check(args: CheckArgs) -> anyhow::Result<()> {
    let deck = deck::load_plain(&args.deck.source(), None)?;
    let stack = deployed_stack();
    let opts = args.aws.options(&deck, stack.as_ref());
    let live = live_settings(&deck, stack.as_ref(), None);
    let items = runtime()?.block_on(async {
        let config = crate::backend::aws::load(&opts).await;
        let all =
            async {
                let mut items = crate::backend::aws::check::run(&config, &deck.catalog).await;
                items.extend(
                    crate::backend::aws::check::sources(&config, live.pipeline.as_deref(), live.source.as_deref())
                        .await,
                );
                // The deployed stack's outputs and source object, when `deploy` has run.
                if let Some(s) = &stack {
                    let stack_items = crate::infra::check_stack(&config, &s.stack).await;
                    items.extend(stack_items.into_iter().map(|(what, ok, detail)| {
                        crate::backend::aws::check::CheckItem { what, ok, detail, required: true }
                    }));
                }
                items
            };
        // The network is never waited on for long: a stalled endpoint is a failed check.
        match tokio::time::timeout(std::time::Duration::from_secs(20), all).await {
            Ok(items) => items,
            Err(_) => vec![crate::backend::aws::check::CheckItem {
                what: "AWS".into(),
                ok: false,
                detail: "no answer within 20 s; check the network or --endpoint-url".into(),
                required: true,
            }],
        }
    });
    let mut all = items;
    all.extend(crate::backend::aws::check::terminal());
    print!("{}", crate::backend::aws::check::render(&all));
    let missing = all.iter().filter(|i| i.required && !i.ok).count();
    if missing > 0 {
        anyhow::bail!("{missing} thing(s) a live talk needs are missing (✗ above)");
    }
    println!("ready for a live talk");
    Ok(())
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (crate::backend::replay::MIN_SPEED..=crate::backend::replay::MAX_SPEED).contains(&v) => Ok(v),
        _ => Err(format!("\"{s}\" is not a speed between 0.01 and 1000000; expected e.g. 60")),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}
