//! The question asked before anything that costs money or cannot be undone on AWS: starting
//! builds (with what they will cost), stopping them, starting the pipeline.

use super::Effect;
use crate::builds::catalog::{Catalog, format_duration};

/// A pending yes/no question and what a yes does.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub effects: Vec<Effect>,
}

/// What starting `scenarios` live would start, and an estimate of its cost from the deck's price
/// table (reference duration × sourced price per minute); unknown where either is missing.
pub fn start(catalog: &Catalog, scenarios: &[String]) -> Confirm {
    let mut lines = Vec::new();
    let mut total = 0.0;
    let mut unknown = 0;
    let mut count = 0;
    for s in scenarios.iter().filter_map(|id| catalog.scenario(id)) {
        lines.push(format!("{} · {}", s.concept, s.title));
        for b in &s.builds {
            count += 1;
            let seconds = b.reference.as_ref().map(|r| r.seconds);
            let cost = seconds.and_then(|secs| catalog.prices.cost(b.host_arch(), &b.compute, secs));
            match cost {
                Some(c) => total += c,
                None => unknown += 1,
            }
            lines.push(format!(
                "  {} — {} · {} · {} · {} · {}",
                b.label,
                b.project,
                b.host_arch(),
                b.compute,
                seconds.map_or("duration unknown".into(), |s| format!("~{}", format_duration(s))),
                cost.map_or("cost unknown".into(), |c| format!("≈ ${c:.2}")),
            ));
        }
    }
    lines.push(String::new());
    let mut estimate =
        if unknown == count { "Estimated cost unknown".to_string() } else { format!("Estimated ≈ ${total:.2}") };
    if unknown > 0 {
        estimate.push_str(&format!(" + {unknown} build(s) without a sourced price or duration"));
    }
    lines.push(estimate);
    if !catalog.prices.source.is_empty() {
        lines.push(format!("Prices: {} ({})", catalog.prices.source, catalog.prices.date));
    }
    Confirm {
        title: format!("Start {count} CodeBuild build(s)?"),
        lines,
        effects: scenarios.iter().cloned().map(Effect::Start).collect(),
    }
}

/// Stopping the running builds of `scenarios`.
pub fn stop(catalog: &Catalog, scenarios: &[String]) -> Confirm {
    let lines = scenarios
        .iter()
        .filter_map(|id| catalog.scenario(id))
        .map(|s| format!("{} · {}: every running build", s.concept, s.title))
        .collect();
    Confirm {
        title: "Stop these CodeBuild builds?".into(),
        lines,
        effects: scenarios.iter().cloned().map(Effect::Stop).collect(),
    }
}

/// Starting a run of the deck's pipeline.
pub fn pipeline(name: &str) -> Confirm {
    Confirm {
        title: format!("Start pipeline {name}?"),
        lines: vec![
            "Runs every stage: each concept's builds on CodeBuild.".into(),
            "CodePipeline V2 bills $0.002 per action-execution minute (100 free minutes a month),".into(),
            "on top of the CodeBuild minutes.".into(),
        ],
        effects: vec![Effect::StartPipeline],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{self, DeckSource};

    #[test]
    fn start_lists_every_build_with_a_sourced_cost_or_says_unknown() {
        let deck = deck::load(&DeckSource::Bundled, None).unwrap();
        let c = start(&deck.catalog, &["native-build".to_string()]);
        assert_eq!(c.title, "Start 3 CodeBuild build(s)?");
        let text = c.lines.join("\n");
        // x86_64 large at the deck's $0.02/min for the reference 7m7s: 8 started minutes.
        assert!(
            text.contains(
                "x86_64 on an x86_64 host — arm64-demo-x86_64 · x86_64 · BUILD_GENERAL1_LARGE · ~7m7s · ≈ $0.16"
            ),
            "{text}"
        );
        // arm64 has no sourced price: never invented.
        assert!(text.contains("~8m33s · cost unknown"), "{text}");
        assert!(text.contains("Estimated ≈ $0.16 + 2 build(s) without a sourced price or duration"), "{text}");
        assert!(text.contains("Prices: third-party summaries"), "{text}");
        assert_eq!(c.effects, [Effect::Start("native-build".into())]);
    }
}
