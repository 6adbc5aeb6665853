#Requires -Version 7.0
<#
.SYNOPSIS
    Builds CodespaceRegistry and stages the importable module in out/CodespaceRegistry.
.EXAMPLE
    ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs the xunit suites, then Pester on the staged module.
    [switch] $Test,

    # Removes out/ and every bin/ and obj/ first.
    [switch] $Clean
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    if ($Clean) {
        Get-ChildItem -Path src, tests -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
        if (Test-Path out) { Remove-Item out -Recurse -Force }
    }

    dotnet publish src/CodespaceRegistry -c $Configuration --nologo
    if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed with exit code $LASTEXITCODE." }

    if ($Test) {
        dotnet test CodespaceRegistry.sln -c $Configuration --nologo
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE." }

        # A fresh process, so that Pester imports the staged module and never a copy this session loaded.
        pwsh -NoProfile -Command {
            param($Path)
            Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop
            $config = New-PesterConfiguration
            $config.Run.Path = $Path
            $config.Run.Exit = $true
            $config.Output.Verbosity = 'Detailed'
            Invoke-Pester -Configuration $config
        } -args (Join-Path $PSScriptRoot tests)
        if ($LASTEXITCODE -ne 0) { throw "Pester tests failed ($LASTEXITCODE)." }
    }
}
finally {
    Pop-Location
}
