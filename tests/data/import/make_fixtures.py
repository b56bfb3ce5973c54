#!/usr/bin/env python3
"""Writes the synthetic import fixtures (never real customer data) from one small truth:
ten customers of "Contoso Cloud" seen through Partner Center's downloads (A1 Azure usage,
A2 CPOR-M365 and license usage, A3 customers and revenue, A4 trainings), the collector's
tenant inventory bundle (B6) and a Cost Management export (C), plus `expected.pcs.json`:
the same data written by hand as a version-1 workspace, which the host test scores beside
the import. Run it again after changing the truth; the outputs are committed.

    python3 tests/data/import/make_fixtures.py
"""
import csv, io, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
PGA, LOC, RESELLER, OTHER = "4977984", "4977985", "6660001", "5550001"
HOME = "c0c0c0c0-0000-4000-8000-00000000c0c0"
OPS_HOME_OID = "a0a0a0a0-0000-4000-8000-0000000000a0"
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)]
MONTHS = MONTHS[MONTHS.index("2024-11"):MONTHS.index("2026-10") + 1]   # 24 months
AS_OF = "2026-10"

def guid(n, tag):
    return f"{tag:0>8}-0000-4000-8000-{n:012d}"

def ramp(a, b, start=0):
    """A monthly series growing from a to b over the 24 months (0 before `start`)."""
    out = {}
    for i, m in enumerate(MONTHS):
        if i < start:
            continue
        span = max(1, len(MONTHS) - 1 - start)
        out[m] = round(a + (b - a) * (i - start) / span, 2)
    return out

# The truth: each customer, how Microsoft attributes it, what the tenant inventory shows.
CUSTOMERS = [
    dict(key="fabrikam", name="Fabrikam, Ltd.", seg="Enterprise", assoc="PAL", admin="Contributor",
         services={"Azure SQL Database": ramp(800, 1500), "Storage": ramp(200, 260), "Virtual Machines": ramp(1000, 1000)},
         identity=dict(kind="guest", role="Contributor", pal=LOC, linked="2024-10-15T09:30:00Z")),
    # Three customers won in the last twelve months: net customer adds.
    dict(key="northwind", name="Northwind Traders", seg="SMB", assoc="CSP", channel="Direct/CSP",
         services={"App Service": ramp(600, 1400, 13), "Azure Monitor": ramp(50, 50, 13)}),
    dict(key="adatum", name="Adatum Corporation", seg="Enterprise", assoc="CSP", channel="Indirect/CSP", reseller=RESELLER,
         services={"Azure Kubernetes Service": ramp(1200, 1800, 14), "Azure Cosmos DB": ramp(400, 500, 14)}),
    dict(key="litware", name="Litware Inc", seg="Enterprise", assoc="DPOR", start=12,
         services={"Azure Synapse Analytics": ramp(900, 2200, 12), "Azure Data Factory": ramp(300, 300, 12)}),
    dict(key="tailspin", name="Tailspin Toys", seg="SMB", assoc="PAL", admin="Owner",
         services={"Functions": ramp(150, 700), "Key Vault": ramp(40, 40)},
         identity=dict(kind="sp", role="Owner", pal=LOC, linked="2024-08-01T12:00:00Z")),
    dict(key="wingtip", name="Wingtip Toys", seg="Enterprise", assoc="PAL", admin="Contributor",
         services={"Windows Virtual Desktop": ramp(2000, 2600), "Azure Bastion": ramp(100, 100)},
         identity=dict(kind="lighthouse", role="Contributor", pal=LOC, linked="2024-09-01T08:00:00Z")),
    dict(key="relecloud", name="Relecloud", seg="Enterprise", assoc=None,
         services={}, identity=dict(kind="guest", role="Owner", pal=PGA, linked="2025-01-20T10:00:00Z")),
    dict(key="humongous", name="Humongous Insurance", seg="Enterprise", m365=True,
         claim=("CL-1001", "2025-06-12"),
         workloads={"Microsoft Teams": (450, ramp(200, 380)), "Exchange Online": (450, ramp(300, 420))}),
    dict(key="trey", name="Trey Research", seg="Enterprise", m365=True, claim=("CL-1002", "2024-12-01"),
         workloads={"Teams": (120, ramp(40, 100)), "Microsoft Defender for Endpoint": (120, ramp(30, 60))}),
    dict(key="coho", name="Coho Winery", seg="SMB", assoc="CSP", channel="Direct/CSP",
         services={"Azure SQL Database": ramp(90, 160), "Storage": ramp(20, 20)}),
]
for i, c in enumerate(CUSTOMERS, 1):
    c["tenant"] = guid(i, f"1{i:07d}")
    c["sub"] = guid(i, f"5{i:07d}")
    c["oid"] = guid(i, f"9{i:07d}")

PEOPLE = [
    ("ada", "Ada", "Lovelace", [("Azure Administrator Associate", "2024-03-10"), ("Azure Solutions Architect Expert", "2024-05-02"),
                                ("Azure Database Administrator Associate", "2025-02-14"), ("Azure AI Engineer Associate", "2025-09-30")]),
    ("grace", "Grace", "Hopper", [("Azure Administrator Associate", "2025-06-01"), ("Azure Solutions Architect Expert", "2025-09-15"),
                                  ("Azure Network Engineer Associate", "2025-11-20")]),
    ("linus", "Linus", "Torvalds", [("Azure Administrator Associate", "2025-01-20"), ("Windows Server Hybrid Administrator Associate", "2025-03-02"),
                                    ("Azure Virtual Desktop Specialty", "2025-10-10")]),
    ("mei", "Mei", "Chen", [("Azure Solutions Architect Expert", "2025-07-07"), ("DevOps Engineer Expert", "2025-08-08"),
                            ("Azure Developer Associate", "2025-02-02")]),
    ("omar", "Omar", "Haddad", [("Fabric Data Engineer Associate", "2025-09-30")]),
    ("priya", "Priya", "Nair", [("Teams Administrator Associate", "2025-03-03"), ("Microsoft 365 Enterprise Administrator Expert", "2025-10-01")]),
    ("tomas", "Tomás", "Novák", [("Endpoint Administrator Associate", "2026-02-20"), ("Identity and Access Administrator Associate", "2025-11-11")]),
    ("ops", "Contoso", "Operations", [("Azure Administrator Associate", "2024-12-05")]),
]
M365_TITLES = {"Teams Administrator Associate", "Microsoft 365 Enterprise Administrator Expert", "Endpoint Administrator Associate"}
CERT_IDS = {
    "Azure Administrator Associate": "azure-administrator-associate", "Azure Solutions Architect Expert": "azure-solutions-architect-expert",
    "Azure Database Administrator Associate": "azure-database-administrator-associate", "Azure AI Engineer Associate": "azure-ai-engineer-associate",
    "Azure Network Engineer Associate": "azure-network-engineer-associate", "Windows Server Hybrid Administrator Associate": "windows-server-hybrid-administrator-associate",
    "Azure Virtual Desktop Specialty": "azure-virtual-desktop-specialty", "DevOps Engineer Expert": "devops-engineer-expert",
    "Azure Developer Associate": "azure-developer-associate", "Fabric Data Engineer Associate": "fabric-data-engineer-associate",
    "Teams Administrator Associate": "teams-administrator-associate", "Microsoft 365 Enterprise Administrator Expert": "microsoft-365-enterprise-administrator-expert",
    "Endpoint Administrator Associate": "endpoint-administrator-associate", "Identity and Access Administrator Associate": "identity-and-access-administrator-associate",
}
WORKLOAD_IDS = {"Microsoft Teams": "teams", "Teams": "teams", "Exchange Online": "exchange", "Microsoft Defender for Endpoint": "defender_endpoint"}

def title(t):
    if t in M365_TITLES:
        return "Microsoft 365 Certified: " + t.replace("Microsoft 365 ", "")
    return "Microsoft Certified: " + t

def expires(earned):
    y, rest = earned.split("-", 1)
    return f"{int(y) + 2}-{rest}"

def write_csv(path, header, rows, bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        f.write(buf.getvalue())

def first_of(month, us=False):
    y, m = month.split("-")
    return f"{int(m)}/1/{y}" if us else f"{y}-{m}-01"

# --- A1 Azure usage -----------------------------------------------------------------
A1_HEADER = ["Month", "CustomerTenantId", "CustomerName", "CustomerSegment", "SubscriptionId", "SubscriptionStartDate",
             "SubscriptionState", "ServiceLevel2", "MPNID", "PGAMpnID", "PartnerAttributionType", "AssociationType",
             "AdminType", "SalesChannel", "ResellerID", "IsACRDuplicateAtPGALevel", "ACR_USD"]
LABELS = {"PAL": ("PAL", "Partner Admin Link (PAL)"), "CSP": ("CSP", "Cloud Solution Provider (CSP)"), "DPOR": ("DPOR", "Digital Partner of Record (DPOR)")}

def a1_rows():
    rows = []
    for c in CUSTOMERS:
        if not c.get("assoc"):
            continue
        short, long = LABELS[c["assoc"]]
        for service, series in c["services"].items():
            for m, v in series.items():
                rows.append([first_of(m), c["tenant"], c["name"], c["seg"], c["sub"], "2023-06-01", "Active", service, LOC, PGA,
                             short, long, c.get("admin", ""), c.get("channel", "Direct" if c["assoc"] != "CSP" else ""),
                             c.get("reseller", ""), "0", f"{v:.2f}"])
    return rows

write_csv(f"{HERE}/azure-usage.csv", A1_HEADER, a1_rows())

# --- A2 CPOR-M365 usage and license usage ------------------------------------------
A2C = ["CustomerTenantId", "CustomerName", "WorkloadName", "MonthlyActiveUsers", "PaidAvailableUnits", "ClaimId", "MpnId",
       "DateAssociated", "PartnerAttributionType", "Date"]
rows, lic = [], []
for c in CUSTOMERS:
    if not c.get("m365"):
        continue
    claim, on = c["claim"]
    for wname, (paid, mau) in c["workloads"].items():
        for m, v in mau.items():
            rows.append([c["tenant"], c["name"], wname, int(v), paid, claim, LOC, on, "CPOR", first_of(m)])
            lic.append([c["tenant"], "", wname, first_of(m), paid, int(v), LOC, "CPOR", "0"])
write_csv(f"{HERE}/cpor-m365-usage.csv", A2C, rows)
write_csv(f"{HERE}/license-usage.csv", ["CustomerTenantId", "CustomerTpid", "WorkloadName", "Month", "PaidAvailableUnits",
                                        "MonthlyActiveUsers", "PartnerID", "PartnerAttributionType", "IsDuplicateRowForPGA"], lic)

# --- A3 customers and revenue (a Business Central customer) --------------------------
A3 = ["PGAMpnID", "CustomerName", "CustomerTenantId", "Product", "SKU", "Month", "MPNId", "PartnerAttributionType",
      "SalesChannel", "IsDuplicateRowForPGA", "AvailableSeats", "BilledRevenueUSD", "AzureConsumedRevenueUSD", "CPORRevenue",
      "CPORPaidSeats", "CPORActiveUsers"]
alpine = guid(11, "10000011")
rows = [[PGA, "Alpine Ski House", alpine, "Dynamics 365 Business Central", "Essentials", first_of(m), LOC, "CSP", "Direct/CSP",
         "0", 25, f"{v:.2f}", "0", "0", "0", "0"] for m, v in ramp(1800, 2400).items()]
rows += [[PGA, "Alpine Ski House", alpine, "Microsoft 365 E3", "E3", first_of(AS_OF), LOC, "CSP", "Direct/CSP", "0", 40, "1440.00", "0", "0", "0", "0"]]
write_csv(f"{HERE}/customers-revenue.csv", A3, rows)

# --- A4 trainings --------------------------------------------------------------------
A4 = ["TrainingActivityId", "TrainingTitle", "TrainingType", "IndividualFirstName", "IndividualLastName", "Email", "CorpEmail",
      "TrainingCompletionDate", "ExpirationDate", "ActivationStatus", "MpnId"]
rows, n = [], 1
for key, first, last, certs in PEOPLE:
    for t, earned in certs:
        rows.append([f"T{n:05d}", title(t), "Certification", first, last, f"{key}.learn@outlook.example", f"{key}@contoso.example",
                     earned, expires(earned), "Active", LOC]); n += 1
rows.append([f"T{n:05d}", "Exam AZ-104: Microsoft Azure Administrator", "Exam", "Ada", "Lovelace", "ada.learn@outlook.example",
             "ada@contoso.example", "2024-03-09", "", "Active", LOC]); n += 1
rows.append([f"T{n:05d}", "Introduction to Microsoft Fabric", "Learning path", "Omar", "Haddad", "", "omar@contoso.example",
             "2025-06-01", "", "Active", LOC]); n += 1
rows.append([f"T{n:05d}", "Microsoft Certified: Azure Juggler Associate", "Certification", "Grace", "Hopper", "",
             "grace@contoso.example", "2025-01-01", "2027-01-01", "Active", LOC])
write_csv(f"{HERE}/trainings.csv", A4, rows)

# --- B6 tenant inventory bundle ------------------------------------------------------
def account(c, user=("ops@contoso.example", "user")):
    return {"environmentName": "AzureCloud", "homeTenantId": HOME, "id": c["sub"], "isDefault": False,
            "name": f"{c['name']} Production", "state": "Enabled", "tenantId": c["tenant"], "tenantDisplayName": c["name"],
            "user": {"name": user[0], "type": user[1]}}

def upn_domain(c):
    return c["key"] + ".onmicrosoft.com"

tenants = []
for c in CUSTOMERS:
    ident = c.get("identity")
    if not ident and c.get("m365"):
        continue
    sub_scope = f"/subscriptions/{c['sub']}"
    entry = {"tenant_id": c["tenant"], "account": account(c), "role_assignments": [], "management_partner": None,
             "lighthouse_assignments": [], "pim_eligibility": [],
             "subscriptions": [{"id": c["sub"], "name": f"{c['name']} Production", "state": "Enabled"}]}
    # The customer's own administrator and a group: not the partner's, left out by the import.
    entry["role_assignments"].append({"principalId": guid(99, f"8{CUSTOMERS.index(c)+1:07d}"), "principalName": f"admin@{upn_domain(c)}",
                                      "principalType": "User", "roleDefinitionName": "Owner",
                                      "roleDefinitionId": f"{sub_scope}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                                      "scope": sub_scope, "createdOn": "2023-06-01T00:00:00.000000+00:00", "resourceGroup": None})
    if ident and ident["kind"] in ("guest", "sp"):
        if ident["kind"] == "guest":
            name, ptype = f"ops_contoso.example#EXT#@{upn_domain(c)}", "User"
        else:
            name, ptype = "3f2c0000-0000-4000-8000-0000000000a5", "ServicePrincipal"
            entry["account"] = account(c, (name, "servicePrincipal"))
        entry["role_assignments"].append({"principalId": c["oid"], "principalName": name, "principalType": ptype,
                                          "roleDefinitionName": ident["role"],
                                          "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c" if ident["role"] == "Contributor" else "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                                          "scope": sub_scope, "createdOn": "2024-06-01T10:00:00.000000+00:00", "resourceGroup": None})
        entry["management_partner"] = {"partnerId": ident["pal"], "partnerName": "Contoso Cloud", "tenantId": c["tenant"],
                                       "objectId": c["oid"], "state": "Active", "createdTime": ident["linked"],
                                       "updatedTime": ident["linked"], "version": 1}
    if ident and ident["kind"] == "lighthouse":
        entry["lighthouse_assignments"].append({
            "id": f"{sub_scope}/providers/Microsoft.ManagedServices/registrationAssignments/{guid(6, 'dddd0006')}",
            "name": guid(6, "dddd0006"),
            "properties": {"provisioningState": "Succeeded", "registrationDefinitionId": f"{sub_scope}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid(7, 'eeee0007')}",
                           "registrationDefinition": {"properties": {
                               "managedByTenantId": HOME, "manageeTenantId": c["tenant"], "registrationDefinitionName": "Contoso managed services",
                               "authorizations": [{"principalId": OPS_HOME_OID, "principalIdDisplayName": "Contoso Operations",
                                                   "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c"}],
                               "eligibleAuthorizations": []}}}})
    tenants.append(entry)
# The partner's own tenant: its PAL link serves the Lighthouse delegation.
tenants.append({"tenant_id": HOME, "account": {"homeTenantId": HOME, "id": guid(1, "c0c0c001"), "name": "Contoso internal",
                                               "state": "Enabled", "tenantId": HOME, "user": {"name": "ops@contoso.example", "type": "user"}},
                "role_assignments": [], "lighthouse_assignments": [], "pim_eligibility": [],
                "management_partner": {"partnerId": LOC, "partnerName": "Contoso Cloud", "tenantId": HOME, "objectId": OPS_HOME_OID,
                                       "state": "Active", "createdTime": "2024-09-01T08:00:00Z", "updatedTime": "2024-09-01T08:00:00Z"}})
# A tenant the account could not read.
tenants.append({"tenant_id": guid(12, "10000012"), "error": "AADSTS50076: multi-factor authentication is required to access this tenant"})
bundle = {"format": "pcs-workbench/tenant-inventory", "version": 1, "collected": "2026-11-02", "collector": "pcs-collect.sh 1",
          "tenants": tenants}
with open(f"{HERE}/tenant-inventory.json", "w") as f:
    json.dump(bundle, f, indent=2); f.write("\n")

# --- C Cost Management export (Relecloud: Microsoft credits nothing, the tenant shows the cost)
rel = next(c for c in CUSTOMERS if c["key"] == "relecloud")
rows = []
for m in ("2026-09", "2026-10"):
    for day in (1, 15):
        rows.append([f"{m}-{day:02d}", rel["sub"], "rg-web", f"/subscriptions/{rel['sub']}/resourceGroups/rg-web/providers/Microsoft.Web/sites/shop",
                     "Azure App Service", "410.25", "USD"])
        rows.append([f"{m}-{day:02d}", rel["sub"], "rg-data", f"/subscriptions/{rel['sub']}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/db",
                     "SQL Database", "250.00", "USD"])
rows.append(["2026-10-20", rel["sub"], "rg-data", "x", "SQL Database", "100.00", "EUR"])
write_csv(f"{HERE}/cost-export.csv", ["Date", "SubscriptionId", "ResourceGroup", "ResourceId", "MeterCategory", "CostInBillingCurrency",
                                      "BillingCurrencyCode"], rows)

# --- The same data written by hand as a version-1 workspace ---------------------------
def ws_customer(c):
    cust = {"id": c["key"], "name": c["name"], "tenant_id": c["tenant"], "segment": "smb" if c["seg"] == "SMB" else "enterprise",
            "cloud": "public", "subscriptions": [], "usage": [], "workloads": [], "identities": [], "power_platform": [], "cpor": [],
            "notes": ""}
    if c.get("m365"):
        claim, on = c["claim"]
        wl = []
        for wname, (paid, mau) in c["workloads"].items():
            wid = WORKLOAD_IDS[wname]
            wl.append(wid)
            cust["workloads"].append({"workload": wid, "subscription": None, "paid_seats": {m: paid for m in MONTHS},
                                      "active_users": {m: int(v) for m, v in mau.items()}, "revenue": {}})
        cust["cpor"].append({"id": claim, "partner_id": LOC, "area": "modern_work_security", "role": "use_or_consume",
                             "workloads": wl, "subscription": None, "history": [{"status": "approved", "on": on}],
                             "poe": [], "opt_out_incentives": False})
        return cust
    sub = {"id": c["sub"], "name": f"{c['name']} Production", "product": "azure", "offer": "azure_plan", "status": "active",
           "created": "2023-06-01" if c.get("assoc") else None, "moved_to_azure_plan": None, "csp": None, "dpor": []}
    if c.get("assoc") == "CSP":
        sub["offer"] = "csp"
        sub["csp"] = {"tier": 1 if c["channel"] == "Direct/CSP" else 2, "partner_id": LOC, "reseller_id": c.get("reseller")}
    if c.get("assoc") == "DPOR":
        sub["offer"] = "enterprise_agreement"
        sub["dpor"] = [{"partner_id": LOC, "from": first_of(MONTHS[c["start"]]), "to": None}]
    cust["subscriptions"].append(sub)
    for service, series in c["services"].items():
        cust["usage"].append({"scope": f"/subscriptions/{c['sub']}", "service": service, "created": None, "deployed_with": None,
                              "acr": {m: v for m, v in series.items() if v}})
    ident = c.get("identity")
    if ident:
        kind = {"guest": "guest_user", "sp": "service_principal", "lighthouse": "lighthouse"}[ident["kind"]]
        oid = OPS_HOME_OID if kind == "lighthouse" else c["oid"]
        cust["identities"].append({
            "id": oid, "kind": kind, "name": "ops", "person": "ops" if kind == "guest_user" else None, "state": "active",
            "state_since": None, "admin_agents": False, "classic_admin": False, "members": [],
            "roles": [{"role": ident["role"], "scope": f"/subscriptions/{c['sub']}",
                       "from": None if kind == "lighthouse" else "2024-06-01", "to": None, "eligible_only": False}],
            "pal": [{"partner_id": ident["pal"], "from": ident["linked"][:10], "to": None,
                     "tenant": "home" if kind == "lighthouse" else "customer"}]})
    return cust

people = []
for key, first, last, certs in PEOPLE:
    people.append({"id": key, "name": f"{first} {last}", "linked": True,
                   "certifications": [{"cert": CERT_IDS[t], "earned": e, "expires": expires(e)} for t, e in certs]})
expected = {"format": "pcs-workbench/workspace", "version": 1, "name": "Contoso Cloud", "as_of": AS_OF, "rules": "2026-11",
            "partner": {"name": "Contoso Cloud", "global_id": PGA, "locations": [{"id": LOC, "name": "Contoso UK", "country": "GB"}]},
            "other_partners": [], "people": people, "cua_guids": [], "customers": [ws_customer(c) for c in CUSTOMERS]}
with open(f"{HERE}/expected.pcs.json", "w") as f:
    json.dump(expected, f, indent=2, ensure_ascii=False); f.write("\n")

# --- Nasty files -----------------------------------------------------------------------
N = f"{HERE}/nasty"
# BOM, lower-case and reordered headers, aliases, US dates, quoted commas.
hdr = ["acr_usd", "servicelevel2", "subscriptionid", "customername", "customertenantid", "month", "mpnid", "pgampnid",
       "partnerattributiontype", "salesChannel"]
fab = CUSTOMERS[0]
rows = [[f"{v:.2f}", s, fab["sub"], "Fabrikam, Ltd. \"Europe\"", fab["tenant"], first_of(m, us=True), LOC, PGA, "Partner Admin Link (PAL)", ""]
        for s, series in fab["services"].items() for m, v in series.items()]
hdr[6], hdr[7] = "MpnId", "PGAMpnId"
write_csv(f"{N}/bom-lowercase-aliases.csv", hdr, rows, bom=True)
# Rows flagged as duplicates at PGA level.
dup = a1_rows()[:24]
dup += [r[:15] + ["1", r[16]] for r in dup]
write_csv(f"{N}/duplicate-rows.csv", A1_HEADER, dup)
# An unknown workload and an unknown attribution type.
rows = [[CUSTOMERS[7]["tenant"], "Humongous Insurance", "Microsoft Kaizala", 10, 20, "CL-1001", LOC, "2025-06-12", "CPOR", "2026-10-01"],
        [CUSTOMERS[7]["tenant"], "Humongous Insurance", "Microsoft Teams", 380, 450, "CL-1001", LOC, "2025-06-12", "CPOR", "2026-10-01"]]
write_csv(f"{N}/unknown-workload.csv", A2C, rows)
rows = a1_rows()[:3]
rows[1][10] = rows[1][11] = "Partner of the year"
write_csv(f"{N}/unknown-attribution.csv", A1_HEADER, rows)
# Bad values: a broken tenant GUID on line 3, a word for ACR on line 4.
rows = a1_rows()[:4]
rows[1][1] = "not-a-guid"
rows[2][16] = "twelve"
write_csv(f"{N}/bad-values.csv", A1_HEADER, rows)
# Cut short in the middle of a row.
text = open(f"{HERE}/azure-usage.csv", encoding="utf-8").read()
cut = text[:text.index("\n", 2000) + 60]
open(f"{N}/truncated.csv", "w", encoding="utf-8", newline="").write(cut)
# Another Partner Center report (referrals), and a workspace file in the wrong place.
write_csv(f"{N}/wrong-kind.csv", ["ReferralId", "CustomerName", "Status", "DealValue", "CreatedDate"],
          [["R-1", "Fabrikam", "Won", "12000", "2026-09-01"]])
write_csv(f"{N}/almost-azure-usage.csv", ["Month", "CustomerTenantId", "SubscriptionId", "ServiceLevel2", "Revenue"],
          [["2026-09-01", fab["tenant"], fab["sub"], "Storage", "12"]])
print("fixtures written to", HERE)
