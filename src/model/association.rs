//! The association types of the Partner Capability Score: shared by the rule sets, the
//! attribution engine, the importers and the reports, so it sits below all of them.

use super::json::{Cx, FromJson, describe};
use serde::Serialize;

/// How a partner is recognised for a customer's usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Association {
    CspT1,
    CspT2,
    Dpor,
    Pal,
    Cpor,
}

impl Association {
    pub const ALL: [Association; 5] = [
        Association::CspT1,
        Association::CspT2,
        Association::Dpor,
        Association::Pal,
        Association::Cpor,
    ];

    pub(crate) const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Association::CspT1 => "csp_t1",
            Association::CspT2 => "csp_t2",
            Association::Dpor => "dpor",
            Association::Pal => "pal",
            Association::Cpor => "cpor",
        }
    }

    pub fn parse(s: &str) -> Option<Association> {
        Association::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// How partners say it.
    pub const fn label(self) -> &'static str {
        match self {
            Association::CspT1 => "CSP (direct bill)",
            Association::CspT2 => "CSP (indirect)",
            Association::Dpor => "DPOR",
            Association::Pal => "PAL",
            Association::Cpor => "CPOR",
        }
    }
}

impl std::fmt::Display for Association {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromJson for Association {
    fn from_json(v: &serde_json::Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Association::parse);
        if parsed.is_none() {
            cx.error(format!(
                "expected an association type (csp_t1, csp_t2, dpor, pal, cpor), found {}",
                describe(v)
            ));
        }
        parsed
    }
}

impl<'de> serde::Deserialize<'de> for Association {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::json::one_pass::parsed(d, "an association type", Association::parse)
    }
}
