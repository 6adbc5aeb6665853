#Requires -Version 7.0
<#
.SYNOPSIS
    Runs the Pester files in tests/ on the staged module under one Pester version, in a process of its own.
.DESCRIPTION
    Imports Pester by path from build/obj/packages (restored by `dotnet restore build/Pester.csproj`), never from the
    machine. Writes NUnit XML results to -ResultPath and ends with the line "Pester <version>: N passed, N failed".
#>
param(
    [Parameter(Mandatory)] [string] $Version,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
Import-Module (Join-Path $root "build/obj/packages/pester/$Version/tools/Pester.psd1") -Force
$config = New-PesterConfiguration
$config.Run.Path = Join-Path $root 'tests'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester ${Version}: $($result.PassedCount) passed, $failed failed"
exit ([int]($failed -gt 0 -or $result.PassedCount -eq 0))
