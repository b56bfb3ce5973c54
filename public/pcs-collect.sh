#!/usr/bin/env bash
# PCS Workbench tenant inventory collector, for bash and the Azure CLI.
#
# READ-ONLY: this script creates, links, assigns, updates and deletes nothing, in Azure or
# anywhere else. It only runs `az account list/show/get-access-token`, `az role assignment
# list`, `az managedservices assignment list` and `az rest --method get`, and writes one file.
# (PCS Workbench's tests check that no other command is in it.)
#
# For every tenant the signed-in account can reach it records, unchanged:
#   account                 az account show (which tenant, which account is signed in)
#   role_assignments        az role assignment list --all --include-inherited
#   management_partner      the PAL link of the signed-in identity (Microsoft.ManagementPartner)
#   lighthouse_assignments  az managedservices assignment list --include-definition true
#   pim_eligibility         eligible (just-in-time) role assignments (roleEligibilityScheduleInstances)
# into one JSON bundle (format "pcs-workbench/tenant-inventory") to import on PCS Workbench's
# Data page. Nothing is sent anywhere: the file stays on your machine until you import it.
#
# Usage:  az login            (as the account you use for your customers)
#         bash pcs-collect.sh [-o tenant-inventory.json]
set -euo pipefail

OUT=""
while (($#)); do
  case "$1" in
    -o | --out) OUT="${2:?-o needs a file name}"; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "pcs-collect: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

ARM="https://management.azure.com"
say() { printf 'pcs-collect: %s\n' "$*" >&2; }

# A JSON string of $1 (error messages only; ids are GUIDs).
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/ }
  s=${s//$'\r'/ }
  s=${s//$'\t'/ }
  printf '"%s"' "$s"
}

# The items of a JSON array as written by az (`[ a, b ]` → `a, b`), empty for `[]`.
array_items() {
  local s=$1
  s=${s#*[}
  s=${s%]*}
  if [[ -z "${s//[[:space:]]/}" ]]; then
    printf ''
  else
    printf '%s' "$s"
  fi
}

# Join items of several arrays into one: join_items "a, b" "" "c" → "a, b, c".
join_items() {
  local out="" part
  for part in "$@"; do
    [[ -z "$part" ]] && continue
    if [[ -z "$out" ]]; then out=$part; else out="$out, $part"; fi
  done
  printf '%s' "$out"
}

command -v az >/dev/null || { say "the Azure CLI (az) is not installed: https://aka.ms/azure-cli"; exit 1; }

# step: tenants
say "listing the tenants and subscriptions this account can reach"
SUBS=$(az account list --all --query "[].[tenantId, id, name, state]" -o tsv)
TENANTS=$( { printf '%s\n' "$SUBS" | cut -f1; az account tenant list --query "[].tenantId" -o tsv 2>/dev/null || true; } | sed '/^$/d' | sort -u)

ENTRIES=()
for TENANT in $TENANTS; do
  say "tenant $TENANT"
  # step: token
  if ! TOKEN=$(az account get-access-token --tenant "$TENANT" --query accessToken -o tsv 2>/tmp/pcs-collect-err.$$); then
    ERR=$(tr '\n' ' ' </tmp/pcs-collect-err.$$)
    ERR=${ERR#ERROR: }
    ERR=${ERR%"${ERR##*[![:space:]]}"}
    ENTRIES+=("{ \"tenant_id\": \"$TENANT\", \"error\": $(json_str "$ERR") }")
    say "  cannot read this tenant: $ERR"
    continue
  fi
  AUTH="Authorization=Bearer $TOKEN"
  TENANT_SUBS=$(printf '%s\n' "$SUBS" | awk -F '\t' -v t="$TENANT" '$1 == t { print $2 }')

  # step: account
  ACCOUNT=null
  SUB_LIST=""
  for SUB in $TENANT_SUBS; do
    if [[ "$ACCOUNT" == null ]]; then
      ACCOUNT=$(az account show --subscription "$SUB" -o json 2>/dev/null || echo null)
    fi
    NAME=$(printf '%s\n' "$SUBS" | awk -F '\t' -v s="$SUB" '$2 == s { print $3; exit }')
    SUB_LIST=$(join_items "$SUB_LIST" "{ \"id\": \"$SUB\", \"name\": $(json_str "$NAME") }")
  done

  # step: role_assignments
  ROLES=""
  for SUB in $TENANT_SUBS; do
    OUTPUT=$(az role assignment list --all --include-inherited --subscription "$SUB" -o json 2>/dev/null || echo "[]")
    ROLES=$(join_items "$ROLES" "$(array_items "$OUTPUT")")
  done

  # step: management_partner
  PAL=$(az rest --method get --url "$ARM/providers/Microsoft.ManagementPartner/partners?api-version=2018-02-01" \
    --headers "$AUTH" --skip-authorization-header 2>/dev/null || echo null)

  # step: lighthouse_assignments
  LIGHTHOUSE=""
  for SUB in $TENANT_SUBS; do
    OUTPUT=$(az managedservices assignment list --include-definition true --subscription "$SUB" -o json 2>/dev/null || echo "[]")
    LIGHTHOUSE=$(join_items "$LIGHTHOUSE" "$(array_items "$OUTPUT")")
  done

  # step: pim_eligibility
  PIM=""
  for SUB in $TENANT_SUBS; do
    OUTPUT=$(az rest --method get \
      --url "$ARM/subscriptions/$SUB/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01&\$filter=atScope()" \
      --headers "$AUTH" --skip-authorization-header 2>/dev/null || echo null)
    [[ "$OUTPUT" != null ]] && PIM=$(join_items "$PIM" "$OUTPUT")
  done

  ENTRIES+=("{ \"tenant_id\": \"$TENANT\", \"account\": $ACCOUNT, \"subscriptions\": [ $SUB_LIST ], \"role_assignments\": [ $ROLES ], \"management_partner\": $PAL, \"lighthouse_assignments\": [ $LIGHTHOUSE ], \"pim_eligibility\": [ $PIM ] }")
done
rm -f /tmp/pcs-collect-err.$$

# step: bundle
BODY=$(join_items "${ENTRIES[@]}")
BUNDLE="{ \"format\": \"pcs-workbench/tenant-inventory\", \"version\": 1, \"collected\": \"$(date -u +%Y-%m-%d)\", \"collector\": \"pcs-collect.sh 1\", \"tenants\": [ $BODY ] }"
if [[ -n "$OUT" ]]; then
  printf '%s\n' "$BUNDLE" >"$OUT"
  say "wrote $OUT (${#ENTRIES[@]} tenants): import it on PCS Workbench's Data page"
else
  printf '%s\n' "$BUNDLE"
fi
