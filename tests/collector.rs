//! The tenant inventory collector (`public/pcs-collect.sh` and its PowerShell mirror): it only
//! reads, the two flavours run the same steps, and the bash one, run against a fake `az` that
//! replays the fixture tenants, writes a bundle the importer reads exactly like the fixture.

use pcs_workbench::import::{self, ReadOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn script(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).expect("script")
}

/// Lines of code, without comments (the header explains the script in words).
fn code_lines(text: &str, comment: &str) -> Vec<String> {
    let mut in_block = false;
    text.lines()
        .filter_map(|l| {
            let t = l.trim();
            if comment == "#" && t.starts_with("<#") {
                in_block = true;
            }
            if in_block {
                if t.ends_with("#>") {
                    in_block = false;
                }
                return None;
            }
            (!t.starts_with(comment) && !t.is_empty()).then(|| t.to_owned())
        })
        .collect()
}

/// Every `az` command in the bash collector, as its words before the first option.
fn az_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code_lines(text, "#") {
        let mut rest = line.as_str();
        while let Some(i) = rest.find("az ") {
            let before = rest[..i].chars().last();
            rest = &rest[i + 3..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '/') {
                continue;
            }
            let words: Vec<&str> = rest
                .split_whitespace()
                .take_while(|w| {
                    !w.starts_with('-') && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                })
                .collect();
            if !words.is_empty() {
                out.push(words.join(" "));
            }
        }
    }
    out
}

const MUTATING: &[&str] = &[
    "create", "delete", "update", "set", "add", "remove", "assign", "put", "post", "patch",
    "import", "deploy", "register", "grant", "purge", "restore", "move", "lock", "tag",
];

#[test]
fn the_bash_collector_runs_read_only_commands_only() {
    let text = script("public/pcs-collect.sh");
    let commands = az_commands(&text);
    let allowed = [
        "account list",
        "account tenant list",
        "account get-access-token",
        "account show",
        "role assignment list",
        "managedservices assignment list",
        "rest",
    ];
    assert!(commands.len() >= 7, "{commands:?}");
    for c in &commands {
        assert!(
            allowed.contains(&c.as_str()),
            "az {c} is not on the read-only list"
        );
        for w in c.split(' ') {
            assert!(!MUTATING.contains(&w), "az {c}: mutating verb {w}");
        }
    }
    // `az rest` only ever GETs.
    for line in code_lines(&text, "#")
        .iter()
        .filter(|l| l.contains("az rest"))
    {
        assert!(line.contains("--method get"), "{line}");
    }
    let lower = code_lines(&text, "#").join("\n").to_lowercase();
    for m in [
        "--method put",
        "--method post",
        "--method patch",
        "--method delete",
        "az login",
        "az account set",
    ] {
        assert!(!lower.contains(m), "{m}");
    }
    assert!(
        text.lines().take(12).any(|l| l.contains("READ-ONLY")),
        "says so at its top"
    );
}

#[test]
fn the_powershell_collector_mirrors_it_and_only_reads() {
    let ps = script("public/pcs-collect.ps1");
    let code = code_lines(&ps, "#");
    let mut cmdlets: Vec<String> = Vec::new();
    for line in &code {
        for word in line.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let verb_noun = word.split_once('-').is_some_and(|(v, n)| {
                v.chars().next().is_some_and(char::is_uppercase)
                    && n.chars().next().is_some_and(char::is_uppercase)
            });
            if verb_noun && !cmdlets.contains(&word.to_owned()) {
                cmdlets.push(word.to_owned());
            }
        }
    }
    let allowed = [
        "Get-Module",
        "Get-AzSubscription",
        "Get-AzTenant",
        "Get-AzAccessToken",
        "Get-AzContext",
        "Get-AzRoleAssignment",
        "Set-AzContext",
        "Invoke-RestMethod",
        "ForEach-Object",
        "Where-Object",
        "Sort-Object",
        "Out-Null",
        "Out-File",
        "ConvertTo-Json",
        "Get-Date",
    ];
    for c in &cmdlets {
        assert!(
            allowed.contains(&c.as_str()),
            "{c} is not on the read-only list"
        );
    }
    for line in code.iter().filter(|l| l.contains("Invoke-RestMethod")) {
        assert!(line.contains("-Method Get"), "{line}");
    }
    for line in code.iter().filter(|l| l.contains("Set-AzContext")) {
        assert!(
            line.contains("-Scope Process"),
            "only the process's context: {line}"
        );
    }
    assert!(
        ps.lines().take(12).any(|l| l.contains("READ-ONLY")),
        "says so at its top"
    );
    // The same steps in the same order as the bash collector.
    let steps = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.trim().strip_prefix("# step: ").map(str::to_owned))
            .collect()
    };
    let bash = steps(&script("public/pcs-collect.sh"));
    assert_eq!(bash.len(), 8, "{bash:?}");
    assert_eq!(steps(&ps), bash);
}

/// The fake `az`'s recordings for the fixture bundle's tenants.
fn recordings(dir: &Path) {
    let bundle: Value = serde_json::from_slice(
        &std::fs::read(repo("tests/data/import/tenant-inventory.json")).expect("bundle"),
    )
    .expect("json");
    let mut subs = String::new();
    let mut tenants = String::new();
    let write = |name: String, v: &Value| {
        std::fs::write(
            dir.join(name),
            serde_json::to_string_pretty(v).expect("json"),
        )
        .expect("write")
    };
    for t in bundle["tenants"].as_array().expect("tenants") {
        let id = t["tenant_id"].as_str().expect("id");
        tenants.push_str(&format!("{id}\n"));
        if let Some(err) = t.get("error").and_then(Value::as_str) {
            std::fs::write(
                dir.join(format!("token-{id}.error")),
                format!("ERROR: {err}\n"),
            )
            .expect("write");
            continue;
        }
        let sub = t["account"]["id"].as_str().expect("sub");
        let name = t["subscriptions"]
            .get(0)
            .and_then(|s| s["name"].as_str())
            .or(t["account"]["name"].as_str())
            .unwrap_or_default();
        subs.push_str(&format!("{id}\t{sub}\t{name}\tEnabled\n"));
        write(format!("account-{sub}.json"), &t["account"]);
        write(format!("roles-{sub}.json"), &t["role_assignments"]);
        write(
            format!("lighthouse-{sub}.json"),
            &t["lighthouse_assignments"],
        );
        write(
            format!("pim-{sub}.json"),
            &serde_json::json!({ "value": t["pim_eligibility"] }),
        );
        if !t["management_partner"].is_null() {
            write(format!("pal-{id}.json"), &t["management_partner"]);
        }
    }
    std::fs::write(dir.join("account-list.tsv"), subs).expect("write");
    std::fs::write(dir.join("tenant-list.tsv"), tenants).expect("write");
}

#[test]
fn run_against_a_fake_az_the_bundle_reads_like_the_fixture() {
    let dir = std::env::temp_dir().join(format!("pcs-collect-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    recordings(&dir);
    let out = dir.join("bundle.json");
    let path = format!(
        "{}:{}",
        repo("tests/data/import/fake-az").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("bash")
        .arg(repo("public/pcs-collect.sh"))
        .arg("-o")
        .arg(&out)
        .env("PATH", path)
        .env("FAKE_AZ_DATA", &dir)
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("wrote") && stderr.contains("(10 tenants)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot read this tenant: AADSTS50076"),
        "{stderr}"
    );

    let collected = std::fs::read(&out).expect("bundle written");
    let parsed: Value = serde_json::from_slice(&collected).expect("the bundle is JSON");
    assert_eq!(parsed["format"], "pcs-workbench/tenant-inventory");
    let mine = import::read("bundle.json", collected, &ReadOptions::default()).expect("reads");
    let fixture = import::read(
        "bundle.json",
        std::fs::read(repo("tests/data/import/tenant-inventory.json")).expect("fixture"),
        &ReadOptions::default(),
    )
    .expect("reads");
    assert_eq!(mine.facts.tenants, fixture.facts.tenants);
    assert_eq!(mine.facts.partner, fixture.facts.partner);
    assert_eq!(mine.ours, fixture.ours);
    assert_eq!(mine.facts.refused, fixture.facts.refused);

    // Every call it made was a read.
    let calls = std::fs::read_to_string(dir.join("calls.log")).expect("calls");
    for call in calls.lines() {
        let words: Vec<&str> = call.split_whitespace().collect();
        assert!(!words.iter().any(|w| MUTATING.contains(w)), "{call}");
        if words.first() == Some(&"rest") {
            assert_eq!(words.get(1..3), Some(&["--method", "get"][..]), "{call}");
        }
    }
    assert!(calls.lines().count() >= 40, "{calls}");
    let _ = std::fs::remove_dir_all(&dir);
}
