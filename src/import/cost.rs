//! A customer's Cost Management export (CSV): daily cost per resource, summed into monthly
//! consumption per resource group and meter category.

use super::facts::{FileFacts, RowProblem, UsageFacts};
use super::table::{Column, Row, opt, req};
use crate::model::Month;
use std::collections::{BTreeMap, HashMap};

pub const COST_EXPORT: &[Column] = &[
    req("date", &["Date", "UsageDate", "UsageDateTime"]),
    req("subscription", &["SubscriptionId", "SubscriptionGuid"]),
    opt(
        "group",
        &["ResourceGroup", "resourceGroupName", "ResourceGroupName"],
    ),
    opt("resource", &["ResourceId", "InstanceName"]),
    req("meter", &["MeterCategory"]),
    opt("usd", &["costInUsd", "CostInUSD", "PreTaxCostUSD"]),
    opt("cost", &["CostInBillingCurrency", "Cost", "PreTaxCost"]),
    opt(
        "currency",
        &["BillingCurrencyCode", "BillingCurrency", "Currency"],
    ),
];

/// One resource group's meter category: its scope and service as written, and monthly USD.
struct Sum {
    scope: String,
    service: String,
    subscription: crate::model::Guid,
    acr: BTreeMap<Month, f64>,
}

/// Sums cost rows; a currency other than USD needs a rate the user gives.
pub struct CostExport {
    /// US dollars per unit of each currency the user gave a rate for (upper-case codes).
    pub rates: BTreeMap<String, f64>,
    sums: HashMap<(String, String, String), Sum>,
    missing_rates: BTreeMap<String, usize>,
}

impl CostExport {
    pub fn new(rates: BTreeMap<String, f64>) -> CostExport {
        CostExport {
            rates,
            sums: HashMap::new(),
            missing_rates: BTreeMap::new(),
        }
    }

    pub fn row(&mut self, row: &Row, f: &mut FileFacts) -> Result<(), RowProblem> {
        let month = row.month("date")?;
        let sub = row.guid("subscription")?;
        let meter = row.required("meter")?.to_owned();
        let usd = if row.text("usd")?.is_some() {
            row.number("usd")?
        } else {
            let cost = row.number("cost")?;
            let currency = row.text("currency")?.unwrap_or("USD").to_ascii_uppercase();
            if currency == "USD" {
                cost
            } else if let Some(rate) = self.rates.get(&currency) {
                cost * rate
            } else {
                *self.missing_rates.entry(currency).or_default() += 1;
                return Ok(());
            }
        };
        let group = row.text("group")?;
        let scope = match group {
            Some(g) => format!("/subscriptions/{sub}/resourceGroups/{g}"),
            None => format!("/subscriptions/{sub}"),
        };
        f.saw_month(month);
        let e = self
            .sums
            .entry((sub.key(), scope.to_lowercase(), meter.to_lowercase()))
            .or_insert_with(|| Sum {
                scope,
                service: meter,
                subscription: sub,
                acr: BTreeMap::new(),
            });
        *e.acr.entry(month).or_insert(0.0) += usd;
        Ok(())
    }

    pub fn finish(self, f: &mut FileFacts) {
        let mut keys: Vec<_> = self.sums.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (
            _,
            Sum {
                scope,
                service,
                subscription,
                mut acr,
            },
        ) in keys
        {
            for v in acr.values_mut() {
                *v = v.max(0.0);
            }
            f.loose_usage.push(UsageFacts {
                subscription,
                scope,
                service,
                acr,
            });
        }
        for (currency, rows) in self.missing_rates {
            f.refused_count += rows;
            f.refused.push(RowProblem {
                line: 0,
                column: None,
                header: Some("BillingCurrencyCode".into()),
                message: format!(
                    "{rows} row(s) are in {currency}: give a rate (US dollars per {currency}) to import them; none is assumed"
                ),
            });
        }
        f.notes.push("service names are Cost Management meter categories, an approximation of Partner Center's Service Level 2".into());
    }
}
