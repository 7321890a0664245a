//! The AWS side of a live talk: the CloudFormation stack in infra/, deployed and destroyed in
//! one command each.

pub mod archive;
pub mod check;
pub mod deploy;
pub mod destroy;
pub mod outputs;
pub mod progress;
pub mod stack;

use std::io::IsTerminal;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use clap::Args;

pub use check::check_stack;
pub use deploy::DeployArgs;
pub use destroy::DestroyArgs;

/// The stack name both commands use unless told otherwise.
pub const DEFAULT_STACK_NAME: &str = "arm64-demo";

/// Where AWS is: the standard credential chain, narrowed by the command line.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsTarget {
    /// A named profile of the AWS config files.
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region (default: the environment or profile).
    #[arg(long)]
    pub region: Option<String>,
    /// Send AWS calls to this endpoint (e.g. a local AWS protocol server); AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsTarget {
    /// Loads the SDK configuration; a stack lives in one region, so a missing region is an error here.
    pub async fn load(&self) -> anyhow::Result<aws_config::SdkConfig> {
        let opts = crate::backend::aws::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
        };
        let config = crate::backend::aws::load(&opts).await;
        if config.region().is_none() {
            anyhow::bail!(
                "no AWS region: pass --region eu-west-1, set AWS_REGION, or set a region in your AWS profile"
            );
        }
        Ok(config)
    }
}

/// `arm64-demo deploy`: builds the source zip, creates or updates the stack, saves its outputs.
pub fn deploy_command(args: DeployArgs) -> anyhow::Result<()> {
    let live = std::io::stdout().is_terminal();
    runtime()?.block_on(async {
        let config = args.aws.load().await?;
        let opts = args.options(live)?;
        deploy::deploy(&config, &opts, &mut std::io::stdout()).await.map(|_| ())
    })
}

/// `arm64-demo destroy`: empties the stack's repository and bucket, then deletes the stack.
pub fn destroy_command(args: DestroyArgs) -> anyhow::Result<()> {
    let live = std::io::stdout().is_terminal();
    can_confirm(args.yes, std::io::stdin().is_terminal(), &args.stack_name)?;
    let yes = args.yes;
    runtime()?.block_on(async {
        let config = args.aws.load().await?;
        let opts = args.options(live)?;
        let confirm = |prompt: &str| if yes { Ok(true) } else { destroy::ask(prompt) };
        destroy::destroy(&config, &opts, confirm, &mut std::io::stdout()).await.map(|_| ())
    })
}

/// Destroying needs `--yes` or a terminal to ask on: a script must not delete by accident.
fn can_confirm(yes: bool, stdin_is_terminal: bool, stack_name: &str) -> anyhow::Result<()> {
    if yes || stdin_is_terminal {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to destroy stack {stack_name} without confirmation: stdin is not a terminal to ask on; \
         pass --yes to confirm on the command line"
    )
}

/// One current-thread runtime per command: the calls are sequential, and a command ends with it.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// An S3 client; path-style addressing when an endpoint is set, since local AWS protocol servers
/// do not resolve bucket host names.
pub fn s3_client(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(config).force_path_style(config.endpoint_url().is_some()).build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// The region a configuration names, for messages.
pub(crate) fn region_of(config: &aws_config::SdkConfig) -> String {
    config.region().map(|r| r.to_string()).unwrap_or_else(|| "(no region)".into())
}

/// An SDK error on one line: the service's code and message when it sent them, else the cause
/// chain (timeouts, connection errors).
pub(crate) fn sdk_error<E, R>(call: &str, err: aws_sdk_cloudformation::error::SdkError<E, R>) -> anyhow::Error
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: std::fmt::Debug,
{
    match (err.code(), err.message()) {
        (Some(code), Some(message)) => anyhow::anyhow!("{call}: {code}: {message}"),
        (Some(code), None) => anyhow::anyhow!("{call}: {code}"),
        _ => anyhow::anyhow!("{call}: {}", aws_sdk_cloudformation::error::DisplayErrorContext(&err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destroy_without_yes_needs_a_terminal() {
        assert!(can_confirm(true, false, "s").is_ok());
        assert!(can_confirm(false, true, "s").is_ok());
        let err = can_confirm(false, false, "arm64-demo").unwrap_err().to_string();
        assert!(err.contains("refusing to destroy stack arm64-demo") && err.contains("--yes"), "{err}");
    }

    #[test]
    fn the_commands_parse_their_flags() {
        use clap::Parser;
        #[derive(Parser)]
        struct Deploy {
            #[command(flatten)]
            args: DeployArgs,
        }
        #[derive(Parser)]
        struct Destroy {
            #[command(flatten)]
            args: DestroyArgs,
        }
        let d = Deploy::parse_from(["x", "--region", "eu-west-1", "--dry-run", "--source", "dir"]).args;
        assert_eq!((d.stack_name.as_str(), d.name_prefix.as_str()), (DEFAULT_STACK_NAME, "arm64-demo"));
        assert_eq!(d.aws.region.as_deref(), Some("eu-west-1"));
        assert!(d.dry_run && d.template.is_none());
        let opts = d.options(false).unwrap();
        assert_eq!(opts.source, archive::ArchiveSource::Folder("dir".into()));
        assert_eq!(opts.template.body, deploy::TEMPLATE);
        let x = Destroy::parse_from(["x", "--stack-name", "s", "--yes", "--endpoint-url", "http://h"]).args;
        assert!(x.yes && x.stack_name == "s" && x.aws.endpoint_url.as_deref() == Some("http://h"));
    }
}
