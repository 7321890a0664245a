//! Reading a CloudFormation stack: whether it exists, what its status means, its outputs.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::Stack;

use super::sdk_error;

/// The stack `name` (a name or a stack id); `None` when CloudFormation does not know it.
pub async fn describe(cfn: &Client, name: &str) -> anyhow::Result<Option<Stack>> {
    match cfn.describe_stacks().stack_name(name).send().await {
        Ok(out) => Ok(out.stacks.unwrap_or_default().into_iter().next()),
        Err(e) if is_missing(&e) => Ok(None),
        Err(e) => Err(sdk_error("DescribeStacks", e)),
    }
}

/// CloudFormation answers a missing stack with a ValidationError "… does not exist".
pub fn is_missing<E: ProvideErrorMetadata>(err: &E) -> bool {
    err.code() == Some("ValidationError") && err.message().is_some_and(|m| m.contains("does not exist"))
}

/// The status as text (`CREATE_COMPLETE`, …).
pub fn status(stack: &Stack) -> &str {
    stack.stack_status().map(|s| s.as_str()).unwrap_or("UNKNOWN")
}

/// An operation is still running.
pub fn in_progress(status: &str) -> bool {
    status.ends_with("_IN_PROGRESS")
}

/// A stack whose first creation failed: it cannot be updated, only deleted.
pub fn failed_creation(status: &str) -> bool {
    matches!(status, "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" | "DELETE_FAILED")
}

/// A stack in a settled state that UpdateStack accepts.
pub fn updatable(status: &str) -> bool {
    matches!(status, "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "UPDATE_ROLLBACK_COMPLETE" | "IMPORT_COMPLETE")
}

/// The stack's outputs by key.
pub fn outputs(stack: &Stack) -> BTreeMap<String, String> {
    stack
        .outputs()
        .iter()
        .filter_map(|o| Some((o.output_key()?.to_string(), o.output_value().unwrap_or_default().to_string())))
        .collect()
}

/// The stack's parameters by key.
pub fn parameters(stack: &Stack) -> BTreeMap<String, String> {
    stack
        .parameters()
        .iter()
        .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value().unwrap_or_default().to_string())))
        .collect()
}

/// The outputs as an aligned two-column table.
pub fn outputs_table(outputs: &BTreeMap<String, String>) -> String {
    let width = outputs.keys().map(|k| k.len()).max().unwrap_or(0);
    outputs.iter().map(|(k, v)| format!("  {k:<width$}  {v}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_classify() {
        assert!(in_progress("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
        assert!(!in_progress("UPDATE_COMPLETE"));
        assert!(failed_creation("ROLLBACK_COMPLETE"));
        assert!(!failed_creation("UPDATE_ROLLBACK_COMPLETE"));
        assert!(updatable("UPDATE_ROLLBACK_COMPLETE"));
        assert!(!updatable("UPDATE_ROLLBACK_FAILED"));
    }

    #[test]
    fn table_aligns_values() {
        let outputs: BTreeMap<String, String> =
            [("A".to_string(), "1".to_string()), ("Long".to_string(), "2".to_string())].into();
        assert_eq!(outputs_table(&outputs), "  A     1\n  Long  2\n");
    }
}
