#Requires -Version 7.0
<#
.SYNOPSIS
    Builds CodespaceRegistry, stages the importable module in out/CodespaceRegistry, and tests it.
.DESCRIPTION
    Run it with the repository's pinned PowerShell (`dotnet tool restore` once, then `dotnet pwsh ./build.ps1`).
    -Test runs every xunit suite (Core, and the engine tests that host PowerShell 7.6.9 in-process), then the Pester
    files in tests/ on the staged module under each Pester version in -PesterVersion (restored from NuGet into
    build/obj/packages, never installed machine-wide), each in a fresh process. It ends with "N passed, N failed" over
    all of them and fails when any test fails.
.EXAMPLE
    dotnet pwsh -NoExit ./build.ps1 -Import

    Builds, stages and imports the module into the session that stays open.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs the xunit suites, then Pester on the staged module.
    [switch] $Test,

    # Imports the staged module into the calling session (use with `dotnet pwsh -NoExit`).
    [switch] $Import,

    # Removes out/ and every bin/ and obj/ first.
    [switch] $Clean,

    # The Pester versions -Test runs the Pester files under.
    [string[]] $PesterVersion = @('5.9.1', '6.2.0')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# The tests reach nothing beyond 127.0.0.1: no PowerShell or .NET telemetry, no update check (inherited by child processes).
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
Push-Location $PSScriptRoot
try {
    if ($Clean) {
        Get-ChildItem -Path src, tests, build, bench -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
        if (Test-Path out) { Remove-Item out -Recurse -Force }
    }

    dotnet publish src/CodespaceRegistry -c $Configuration --nologo
    if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed with exit code $LASTEXITCODE." }

    if ($Import) {
        Import-Module (Join-Path $PSScriptRoot out/CodespaceRegistry) -Global -Force
    }

    if ($Test) {
        $suites = [System.Collections.Generic.List[object]]::new()
        $results = Join-Path $PSScriptRoot out/TestResults
        New-Item -ItemType Directory -Force $results | Out-Null

        # xunit: one "Passed!/Failed! - Failed: N, Passed: N" line per test assembly.
        $aborted = 0
        dotnet test CodespaceRegistry.sln -c $Configuration --nologo --results-directory $results --logger 'trx' 2>&1 | ForEach-Object {
            "$_"
            if ("$_" -match '(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+).*-\s+(\S+\.dll)') {
                $suites.Add([pscustomobject]@{ Suite = "xunit $($Matches[4])"; Passed = [int]$Matches[3]; Failed = [int]$Matches[2] })
            }
            # A test host that crashed still prints "Passed!" for the tests it finished: the crash is a failure.
            if ("$_" -match 'Test Run Aborted|test run was aborted') { $aborted++ }
        }
        $xunitExit = $LASTEXITCODE
        if ($aborted -gt 0) {
            $suites.Add([pscustomobject]@{ Suite = 'xunit (test host crashed: run aborted)'; Passed = 0; Failed = 1 })
        }
        elseif ($xunitExit -ne 0 -and -not ($suites | Where-Object Failed -gt 0)) {
            $suites.Add([pscustomobject]@{ Suite = "xunit (dotnet test exited $xunitExit)"; Passed = 0; Failed = 1 })
        }

        # Pester, each version in a fresh process that imports the staged module, never a copy this session loaded.
        dotnet restore build/Pester.csproj --nologo -v q
        if ($LASTEXITCODE -ne 0) { throw "Restoring Pester failed with exit code $LASTEXITCODE." }
        foreach ($version in $PesterVersion) {
            $summary = $null
            dotnet pwsh -NoProfile -NonInteractive -File build/Invoke-PesterRun.ps1 -Version $version -ResultPath (Join-Path $results "pester-$version.xml") 2>&1 | ForEach-Object {
                "$_"
                if ("$_" -match '^Pester \S+: (\d+) passed, (\d+) failed$') { $summary = $Matches }
            }
            $suites.Add([pscustomobject]@{
                Suite  = "Pester $version"
                Passed = if ($summary) { [int]$summary[1] } else { 0 }
                Failed = if ($summary) { [int]$summary[2] } else { 1 }
            })
        }

        $suites | Format-Table -AutoSize | Out-String | Write-Host
        $passed = ($suites | Measure-Object Passed -Sum).Sum
        $failed = ($suites | Measure-Object Failed -Sum).Sum
        Write-Host "$passed passed, $failed failed"
        if ($failed -gt 0) { exit 1 }
    }
}
finally {
    Pop-Location
}
