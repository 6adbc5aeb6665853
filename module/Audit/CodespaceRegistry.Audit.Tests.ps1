#Requires -Version 7.0
<#
.SYNOPSIS
    A Pester audit of what a codespace of a repository needs from registries: one test per secret set, image and Feature.
.DESCRIPTION
    Ships in the CodespaceRegistry module. Run it with Pester 5.9 or later (6 too), from any repository:

        $audit = Join-Path (Get-Module CodespaceRegistry -ListAvailable)[0].ModuleBase 'Audit/CodespaceRegistry.Audit.Tests.ps1'
        Invoke-Pester -Container (New-PesterContainer -Path $audit -Data @{ Path = '.'; Repository = 'octo-org/app'; SkipPull = $false; WarningsAsFailures = $false }) -Output Detailed

    Every parameter may be left out. Invoke-RegistryAudit runs once, while Pester discovers the tests; each test then
    asserts one result, and a failing one says what to fix. An Undetermined result (a fact no API shows) is skipped,
    with the reason.
.PARAMETER Path
    The repository folder (or devcontainer.json) to audit; the current folder by default.
.PARAMETER Repository
    The codespace's repository, owner/name; by default GITHUB_REPOSITORY, else the folder's git remote.
.PARAMETER SkipPull
    Audits offline: the secret sets and the package access rules, without pull checks.
.PARAMETER WarningsAsFailures
    Fails the tests whose result is a warning (they pass otherwise).
#>
param(
    [string] $Path = '.',
    [string] $Repository,
    [bool] $SkipPull = $false,
    [bool] $WarningsAsFailures = $false
)

BeforeDiscovery {
    # The module this file ships in, even when another version is on PSModulePath.
    Import-Module (Join-Path (Split-Path $PSScriptRoot) 'CodespaceRegistry.psd1')
    $audit = @{ Path = $Path; SkipPull = $SkipPull }
    if ($Repository) { $audit.Repository = $Repository }
    $results = @(Invoke-RegistryAudit @audit -ErrorAction Stop)
    $repositories = @($results.Repository | Where-Object { $_ } | Sort-Object -Unique)
    $of = if ($repositories.Count -eq 1) { $repositories[0] } elseif ($repositories) { $repositories -join ', ' } else { 'this repository' }
    $cases = foreach ($result in $results) {
        $name = switch ($result.Kind) {
            'SecretSet' { "secret set $($result.Subject) is complete and valid" }
            default { "$($result.Kind.ToString().ToLowerInvariant()) $($result.Subject) ($($result.Source)) can be pulled by a codespace of $($result.Repository)" }
        }
        @{ Name = $name; Status = "$($result.Status)"; Message = $result.Message; Fix = $result.Fix; Id = $result.Id; WarningsAsFailures = $WarningsAsFailures }
    }
}

Describe 'Codespace registry access of <_>' -ForEach @($of) {
    It '<Name>' -ForEach @($cases) {
        $because = "$Message$(if ($Fix) { " Fix: $Fix" }) [$Id]"
        switch ($Status) {
            'Undetermined' { Set-ItResult -Skipped -Because "it needs a manual check: $because" }
            'Warning' { if ($WarningsAsFailures) { throw "Warning: $because" } }
            'Failed' { throw "Failed: $because" }
        }
    }
}
