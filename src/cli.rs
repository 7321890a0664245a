//! The command line (clap): `present` (the default), `notes`, `validate`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::backend::replay::Speed;
use crate::config::{self, ColorChoice};
use crate::deck::{self, DeckSource, ThemeName};
use crate::runtime::present::{self, PresentOptions, ReplayOptions};
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
    #[arg(long)]
    live: bool,
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
    // The deck is checked before the terminal is touched, so an error prints plainly.
    let deck = deck::load(&source, theme_override)?;
    let depth = args.look.color.unwrap_or(config.color).depth();
    // Recordings beside a deck folder (its project's recordings/) override the bundled ones.
    let folder = source.folder().map(|d| d.join("..").join("recordings")).filter(|d| d.is_dir());
    let speed = args.replay_speed.map_or(Speed::Fit, Speed::Factor);
    let replay = ReplayOptions { speed, folder, start_all: args.start_all, log_lines: args.log_lines.max(1) };
    let rt = runtime()?;
    let live = if args.live {
        let aws = crate::backend::aws::AwsOptions {
            profile: args.aws.profile,
            region: args.aws.region.or_else(|| deck.meta.region.clone()),
            endpoint_url: args.aws.endpoint_url,
        };
        // Fails here, before the terminal is touched, with the reason.
        Some(rt.block_on(crate::backend::aws::load_for_live(&aws))?)
    } else {
        None
    };
    let opts =
        PresentOptions { source, deck, theme_override, depth, keymap: config.keymap, watch: args.watch, replay, live };
    rt.block_on(present::run(opts))
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
    let deck = deck::load(&args.deck.source(), None)?;
    let opts = crate::backend::aws::AwsOptions {
        profile: args.aws.profile,
        region: args.aws.region.or_else(|| deck.meta.region.clone()),
        endpoint_url: args.aws.endpoint_url,
    };
    let items = runtime()?.block_on(async {
        let config = crate::backend::aws::load(&opts).await;
        // The network is never waited on for long: a stalled endpoint is a failed check.
        match tokio::time::timeout(
            std::time::Duration::from_secs(20),
            crate::backend::aws::check::run(&config, &deck.catalog),
        )
        .await
        {
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
