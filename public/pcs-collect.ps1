<#
PCS Workbench tenant inventory collector, for PowerShell and Az (a line-for-line mirror of
pcs-collect.sh).

READ-ONLY: this script creates, links, assigns, updates and deletes nothing, in Azure or
anywhere else. It only runs Get-AzSubscription, Get-AzTenant, Get-AzAccessToken,
Get-AzRoleAssignment and GET requests (Invoke-RestMethod -Method Get), and writes one file.
Set-AzContext -Scope Process only chooses, for this PowerShell process, which subscription
Get-AzRoleAssignment reads; it changes nothing in Azure or in your saved contexts.
(PCS Workbench's tests check that no other command is in it.)

For every tenant the signed-in account can reach it records, unchanged:
  account                 the subscription and the signed-in account (as az account show)
  role_assignments        Get-AzRoleAssignment
  management_partner      the PAL link of the signed-in identity (Microsoft.ManagementPartner)
  lighthouse_assignments  Lighthouse registration assignments with their definitions
  pim_eligibility         eligible (just-in-time) role assignments (roleEligibilityScheduleInstances)
into one JSON bundle (format "pcs-workbench/tenant-inventory") to import on PCS Workbench's
Data page. Nothing is sent anywhere: the file stays on your machine until you import it.

Usage:  Connect-AzAccount     (as the account you use for your customers)
        ./pcs-collect.ps1 [-Out tenant-inventory.json]
#>
param([string]$Out = "")
$ErrorActionPreference = "Stop"

$Arm = "https://management.azure.com"
function Say([string]$Text) { [Console]::Error.WriteLine("pcs-collect: $Text") }

if (-not (Get-Module -ListAvailable -Name Az.Accounts)) { Say "Az PowerShell is not installed: https://aka.ms/azps"; exit 1 }

# step: tenants
Say "listing the tenants and subscriptions this account can reach"
$Subs = @(Get-AzSubscription)
$Tenants = @($Subs | ForEach-Object { $_.TenantId }) + @(Get-AzTenant | ForEach-Object { $_.Id }) | Sort-Object -Unique

$Entries = @()
foreach ($Tenant in $Tenants) {
  Say "tenant $Tenant"
  # step: token
  try {
    $Token = (Get-AzAccessToken -TenantId $Tenant -AsSecureString:$false).Token
  } catch {
    $Entries += [ordered]@{ tenant_id = $Tenant; error = "$($_.Exception.Message)" }
    Say "  cannot read this tenant: $($_.Exception.Message)"
    continue
  }
  $Auth = @{ Authorization = "Bearer $Token" }
  $TenantSubs = @($Subs | Where-Object { $_.TenantId -eq $Tenant })

  # step: account
  $Account = $null
  $SubList = @()
  foreach ($Sub in $TenantSubs) {
    if ($null -eq $Account) {
      $Context = Get-AzContext
      $Account = [ordered]@{ id = $Sub.Id; name = $Sub.Name; state = "$($Sub.State)"; tenantId = $Sub.TenantId;
        homeTenantId = $Sub.HomeTenantId; user = [ordered]@{ name = $Context.Account.Id; type = "$($Context.Account.Type)".ToLower() } }
    }
    $SubList += [ordered]@{ id = $Sub.Id; name = $Sub.Name }
  }

  # step: role_assignments
  $Roles = @()
  foreach ($Sub in $TenantSubs) {
    Set-AzContext -Subscription $Sub.Id -Tenant $Tenant -Scope Process | Out-Null
    try { $Roles += @(Get-AzRoleAssignment -Scope "/subscriptions/$($Sub.Id)") } catch { }
  }

  # step: management_partner
  try {
    $Pal = Invoke-RestMethod -Method Get -Headers $Auth -Uri "$Arm/providers/Microsoft.ManagementPartner/partners?api-version=2018-02-01"
  } catch { $Pal = $null }

  # step: lighthouse_assignments
  $Lighthouse = @()
  foreach ($Sub in $TenantSubs) {
    try {
      $Lighthouse += @((Invoke-RestMethod -Method Get -Headers $Auth -Uri "$Arm/subscriptions/$($Sub.Id)/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01&`$expandRegistrationDefinition=true").value)
    } catch { }
  }

  # step: pim_eligibility
  $Pim = @()
  foreach ($Sub in $TenantSubs) {
    try {
      $Pim += Invoke-RestMethod -Method Get -Headers $Auth -Uri "$Arm/subscriptions/$($Sub.Id)/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01&`$filter=atScope()"
    } catch { }
  }

  $Entries += [ordered]@{ tenant_id = $Tenant; account = $Account; subscriptions = $SubList; role_assignments = $Roles;
    management_partner = $Pal; lighthouse_assignments = $Lighthouse; pim_eligibility = $Pim }
}

# step: bundle
$Bundle = [ordered]@{ format = "pcs-workbench/tenant-inventory"; version = 1; collected = (Get-Date).ToUniversalTime().ToString("yyyy-MM-dd");
  collector = "pcs-collect.ps1 1"; tenants = $Entries }
$Json = $Bundle | ConvertTo-Json -Depth 20
if ($Out) {
  $Json | Out-File -FilePath $Out -Encoding utf8
  Say "wrote $Out ($($Entries.Count) tenants): import it on PCS Workbench's Data page"
} else {
  $Json
}
