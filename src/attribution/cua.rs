//! The Customer Usage Attribution ledger: ISV-influenced ACR attributed to our registered
//! GUIDs. Separate from the score: CUA is not a PCS association type.

use crate::model::*;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CuaOutcome {
    Attributed,
    Unregistered,
    RegisteredAfterDeployment,
    NestedTemplateOnly,
}

/// One deployment that carried a GUID, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CuaDeployment {
    pub customer: String,
    pub usage_line: usize,
    pub service: String,
    pub guid: Guid,
    pub via: DeployVia,
    pub deployed: Date,
    pub outcome: CuaOutcome,
    /// ACR of the line in the month and over the twelve months to it.
    pub acr_month: f64,
    pub acr_ttm: f64,
}

/// Per GUID: the registration, and the deployments with what they attributed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CuaLedger {
    pub month: Month,
    pub deployments: Vec<CuaDeployment>,
}

impl CuaLedger {
    /// Attributed ACR in the month for a GUID.
    pub fn attributed(&self, guid: &Guid) -> f64 {
        self.deployments
            .iter()
            .filter(|d| &d.guid == guid && d.outcome == CuaOutcome::Attributed)
            .map(|d| d.acr_month)
            .sum()
    }
}

pub fn ledger(ws: &Workspace, month: Month) -> CuaLedger {
    let mut deployments = Vec::new();
    for c in &ws.customers {
        for (li, u) in c.usage.iter().enumerate() {
            let Some(dep) = &u.deployed_with else {
                continue;
            };
            let registered = ws
                .cua_guids
                .iter()
                .find(|g| g.guid == dep.guid)
                .and_then(|g| g.registered);
            let outcome = match registered {
                None => CuaOutcome::Unregistered,
                Some(r) if r > dep.on => CuaOutcome::RegisteredAfterDeployment,
                Some(_) if dep.via == DeployVia::ArmNested => CuaOutcome::NestedTemplateOnly,
                Some(_) => CuaOutcome::Attributed,
            };
            deployments.push(CuaDeployment {
                customer: c.id.to_string(),
                usage_line: li,
                service: u.service.clone(),
                guid: dep.guid.clone(),
                via: dep.via,
                deployed: dep.on,
                outcome,
                acr_month: u.acr.get(month),
                acr_ttm: u.acr.sum(month.plus(-11), month),
            });
        }
    }
    CuaLedger { month, deployments }
}
