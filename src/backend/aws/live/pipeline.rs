//! The deck's CodePipeline: its stages and actions as GetPipelineState reports them, and
//! StartPipelineExecution.

use aws_sdk_codepipeline::operation::get_pipeline_state::GetPipelineStateOutput;

/// What the pipeline pane draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineView {
    pub name: String,
    pub stages: Vec<StageView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageView {
    pub name: String,
    /// CodePipeline's stage status (InProgress, Succeeded, Failed, …); `None` before its first run.
    pub status: Option<String>,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionView {
    pub name: String,
    pub status: Option<String>,
    /// Unix seconds of the last status change.
    pub changed: Option<f64>,
    /// The action's summary or error, first line.
    pub detail: Option<String>,
}

/// Reads the pipeline's state.
pub async fn state(client: &aws_sdk_codepipeline::Client, name: &str) -> Result<PipelineView, String> {
    let out = client
        .get_pipeline_state()
        .name(name)
        .send()
        .await
        .map_err(|e| format!("GetPipelineState {name}: {}", crate::backend::aws::describe(&e)))?;
    Ok(view(name, &out))
}

/// The view of a GetPipelineState answer.
pub fn view(name: &str, out: &GetPipelineStateOutput) -> PipelineView {
    let stages = out
        .stage_states()
        .iter()
        .map(|s| StageView {
            name: s.stage_name().unwrap_or("?").to_string(),
            status: s.latest_execution().map(|e| e.status().as_str().to_string()),
            actions: s
                .action_states()
                .iter()
                .map(|a| {
                    let e = a.latest_execution();
                    let detail = e
                        .and_then(|e| e.error_details().and_then(|d| d.message()).or(e.summary()))
                        .and_then(|d| d.lines().next())
                        .map(crate::backend::aws::redact::line);
                    ActionView {
                        name: a.action_name().unwrap_or("?").to_string(),
                        status: e.and_then(|e| e.status()).map(|s| s.as_str().to_string()),
                        changed: e.and_then(|e| e.last_status_change()).map(|t| t.as_secs_f64()),
                        detail,
                    }
                })
                .collect(),
        })
        .collect();
    PipelineView { name: name.to_string(), stages }
}

/// Starts a run of the pipeline; returns the execution id.
pub async fn start(client: &aws_sdk_codepipeline::Client, name: &str, token: &str) -> Result<String, String> {
    let out = client
        .start_pipeline_execution()
        .name(name)
        .client_request_token(token)
        .send()
        .await
        .map_err(|e| crate::backend::aws::describe(&e))?;
    Ok(out.pipeline_execution_id().unwrap_or("?").to_string())
}
