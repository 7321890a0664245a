//! `arm64-demo check`: what a live talk needs, each with ✓ or ✗ and the fix for a ✗.

use std::collections::BTreeMap;

use aws_sdk_codebuild::types::EnvironmentType;

use crate::builds::catalog::{Arch, Catalog};

/// One line of the preflight table.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckItem {
    pub what: String,
    pub ok: bool,
    /// What was found (✓) or what to do (✗).
    pub detail: String,
    /// A ✗ here stops a live talk (some checks only warn).
    pub required: bool,
}

impl CheckItem {
    fn pass(what: impl Into<String>, detail: impl Into<String>) -> Self {
        CheckItem { what: what.into(), ok: true, detail: detail.into(), required: true }
    }

    fn fail(what: impl Into<String>, fix: impl Into<String>) -> Self {
        CheckItem { what: what.into(), ok: false, detail: fix.into(), required: true }
    }
}

/// The environment type CodeBuild needs for a host arch.
pub fn environment_type(arch: Arch) -> EnvironmentType {
    match arch {
        Arch::X86_64 => EnvironmentType::LinuxContainer,
        Arch::Arm64 => EnvironmentType::ArmContainer,
    }
}

/// Runs the AWS checks: credentials, region, every project of the catalog with its environment,
/// and its log group.
pub async fn run(config: &aws_config::SdkConfig, catalog: &Catalog) -> Vec<CheckItem> {
    let mut items = Vec::new();
    match config.region() {
        Some(r) => items.push(CheckItem::pass("region", r.to_string())),
        None => {
            items.push(CheckItem::fail("region", "set one: --region eu-west-1, AWS_REGION, or region in your profile"));
            return items;
        }
    }
    let sts = aws_sdk_sts::Client::new(config);
    match sts.get_caller_identity().send().await {
        Ok(id) => {
            let account = id.account().unwrap_or("");
            // The account id is not a secret, but recordings and screens keep it short.
            let shown = if account.len() > 4 {
                format!("account …{}", &account[account.len() - 4..])
            } else {
                "account".into()
            };
            items.push(CheckItem::pass("credentials", shown));
        }
        Err(e) => {
            items.push(CheckItem::fail(
                "credentials",
                format!(
                    "{}; configure credentials (aws configure, AWS_PROFILE, or --profile)",
                    crate::backend::aws::describe(&e)
                ),
            ));
            return items;
        }
    }

    // Every project the catalog uses, with the arch of the builds it hosts.
    let mut projects: BTreeMap<String, (Arch, String)> = BTreeMap::new();
    for b in catalog.scenarios.iter().flat_map(|s| &s.builds) {
        if !b.project.is_empty() {
            projects.entry(b.project.clone()).or_insert((b.host_arch(), b.image.clone()));
        }
    }
    let codebuild = aws_sdk_codebuild::Client::new(config);
    let names: Vec<String> = projects.keys().cloned().collect();
    let found = match codebuild.batch_get_projects().set_names(Some(names)).send().await {
        Ok(out) => out.projects.unwrap_or_default(),
        Err(e) => {
            items.push(CheckItem::fail(
                "CodeBuild projects",
                format!("{}; check codebuild:BatchGetProjects", crate::backend::aws::describe(&e)),
            ));
            return items;
        }
    };
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    for (name, (arch, image)) in &projects {
        let what = format!("project {name}");
        let Some(p) = found.iter().find(|p| p.name() == Some(name.as_str())) else {
            items.push(CheckItem::fail(what, "missing; deploy the stack (infra/) or fix [hosts] in deck.toml"));
            continue;
        };
        let env = p.environment();
        let want = environment_type(*arch);
        let have_type = env.map(|e| e.r#type().clone());
        let have_image = env.map(|e| e.image().to_string()).unwrap_or_default();
        if have_type.as_ref() != Some(&want) {
            items.push(CheckItem::fail(
                what,
                format!(
                    "environment {}, expected {} for {arch} builds",
                    have_type.as_ref().map_or("none", |t| t.as_str()),
                    want.as_str()
                ),
            ));
        } else if !image.is_empty() && have_image != *image {
            items.push(CheckItem::fail(what, format!("image {have_image}, expected {image}")));
        } else {
            items.push(CheckItem::pass(what, format!("{} · {have_image}", want.as_str())));
        }
        let group = format!("/aws/codebuild/{name}");
        let readable = logs.describe_log_groups().log_group_name_prefix(&group).send().await;
        items.push(match readable {
            Ok(out) if out.log_groups().iter().any(|g| g.log_group_name() == Some(group.as_str())) => {
                CheckItem::pass(format!("log group {group}"), "readable")
            }
            // CodeBuild creates its group with the first build: not an obstacle.
            Ok(_) => CheckItem {
                what: format!("log group {group}"),
                ok: false,
                detail: "not created yet (CodeBuild creates it with the first build)".into(),
                required: false,
            },
            Err(e) => CheckItem::fail(
                format!("log group {group}"),
                format!("{}; allow logs:DescribeLogGroups and logs:GetLogEvents", crate::backend::aws::describe(&e)),
            ),
        });
    }
    items
}

/// The pipeline and the source zip the live talk uses, when the deck or the stack names them.
pub async fn sources(config: &aws_config::SdkConfig, pipeline: Option<&str>, source: Option<&str>) -> Vec<CheckItem> {
    let mut items = Vec::new();
    if let Some(name) = pipeline {
        let client = aws_sdk_codepipeline::Client::new(config);
        items.push(match client.get_pipeline().name(name).send().await {
            Ok(_) => CheckItem::pass(format!("pipeline {name}"), "exists"),
            Err(e) => CheckItem::fail(
                format!("pipeline {name}"),
                format!("{}; deploy the stack or fix [aws] pipeline", crate::backend::aws::describe(&e)),
            ),
        });
    }
    if let Some((bucket, key)) = source.and_then(|s| s.split_once('/')) {
        let s3 = crate::infra::s3_client(config);
        let what = format!("source s3://{bucket}/{key}");
        items.push(match s3.head_object().bucket(bucket).key(key).send().await {
            Ok(o) => CheckItem::pass(what, format!("{} bytes", o.content_length().unwrap_or(0))),
            Err(e) => {
                CheckItem::fail(what, format!("{}; `arm64-demo deploy` uploads it", crate::backend::aws::describe(&e)))
            }
        });
    }
    items
}

/// The terminal's size and colours, checked without AWS.
pub fn terminal() -> Vec<CheckItem> {
    let mut items = Vec::new();
    match crossterm::terminal::size() {
        Ok((w, h)) if w >= 80 && h >= 24 => items.push(CheckItem::pass("terminal size", format!("{w}×{h}"))),
        Ok((w, h)) => items.push(CheckItem {
            what: "terminal size".into(),
            ok: false,
            detail: format!("{w}×{h}; at least 80×24 reads best (panes scroll otherwise)"),
            required: false,
        }),
        Err(_) => items.push(CheckItem {
            what: "terminal size".into(),
            ok: false,
            detail: "not a terminal".into(),
            required: false,
        }),
    }
    let truecolor = crate::ui::theme::ColorDepth::detect() == crate::ui::theme::ColorDepth::TrueColor;
    items.push(CheckItem {
        what: "colours".into(),
        ok: truecolor,
        detail: if truecolor {
            "truecolor".into()
        } else {
            "256 colours (set COLORTERM=truecolor if the terminal has more)".into()
        },
        required: false,
    });
    items
}

/// The table as text: `✓ what  detail`.
pub fn render(items: &[CheckItem]) -> String {
    let w = items.iter().map(|i| i.what.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for i in items {
        let mark = if i.ok {
            "✓"
        } else if i.required {
            "✗"
        } else {
            "!"
        };
        out.push_str(&format!("{mark} {:<w$}  {}\n", i.what, i.detail));
    }
    out
}
