//! What must never reach the screen, the log file or a recording: AWS access keys and secrets
//! that a build might print, and account ids (in ARNs and ECR registry hosts). CodeBuild masks
//! PARAMETER_STORE and SECRETS_MANAGER values in its own logs; this is the second line.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static ACCESS_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b").expect("valid regex"));
static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken)(\s*[=:]\s*|\x22\s*:\s*\x22)[A-Za-z0-9/+=]{16,}")
        .expect("valid regex")
});
static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{12}\b").expect("valid regex"));

/// A log line with credentials masked. Cheap for the usual line: the patterns run only when
/// a telltale substring is there.
pub fn line(text: &str) -> String {
    let mut out = Cow::Borrowed(text);
    if ["AKIA", "ASIA", "AROA", "AIDA"].iter().any(|p| text.contains(p)) {
        out = Cow::Owned(ACCESS_KEY.replace_all(&out, "<access-key>").into_owned());
    }
    let lower_has = |needle: &str| text.len() >= needle.len() && text.to_ascii_lowercase().contains(needle);
    if lower_has("secret") || lower_has("token") {
        out = Cow::Owned(SECRET.replace_all(&out, "${1}${2}<redacted>").into_owned());
    }
    out.into_owned()
}

/// Text bound for a recording: credentials and 12-digit account ids masked.
pub fn for_recording(text: &str) -> String {
    let masked = line(text);
    ACCOUNT.replace_all(&masked, "<account>").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_and_secrets_and_keeps_ordinary_lines() {
        assert_eq!(line("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"), "export AWS_ACCESS_KEY_ID=<access-key>");
        assert_eq!(
            line("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = <redacted>"
        );
        assert_eq!(
            line(r#"{"SessionToken": "IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJGMEQCIF"}"#),
            r#"{"SessionToken": "<redacted>"}"#
        );
        let ordinary = "Step 3/7 : RUN pip install numpy==1.19.0 # token bucket";
        assert_eq!(line(ordinary), ordinary);
    }

    #[test]
    fn recordings_lose_account_ids() {
        assert_eq!(
            for_recording("pushing 123456789012.dkr.ecr.eu-west-1.amazonaws.com/arm64-demo:latest"),
            "pushing <account>.dkr.ecr.eu-west-1.amazonaws.com/arm64-demo:latest"
        );
        assert_eq!(for_recording("took 1234 ms"), "took 1234 ms");
    }
}
