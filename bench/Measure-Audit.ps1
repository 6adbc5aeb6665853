#Requires -Version 7.0
<#
.SYNOPSIS
    Times Invoke-RegistryAudit: an offline audit (-SkipPull, no GitHub token) of many dev container folders, and an
    audit with pull checks of images on a registry started on 127.0.0.1.
.DESCRIPTION
    Run it on the staged module (dotnet pwsh ./build.ps1 first):

        dotnet pwsh -NoProfile ./bench/Measure-Audit.ps1 -Folders 1000 -Images 20

    The folders each hold a devcontainer.json (a Dockerfile build and two Features) and a Dockerfile (two stages);
    their images are public names, which an offline audit without a token never resolves or contacts. The pull audit
    starts Debian's docker-registry (tests/TestRegistry), pushes -Images images with skopeo, and audits one folder
    whose Dockerfile names them all, with a secret set for the registry in the environment.
#>
param(
    [int] $Folders = 1000,
    [int] $Images = 20,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
Import-Module (Join-Path $root 'out/CodespaceRegistry') -Force
Import-Module (Join-Path $root 'tests/TestRegistry/TestRegistry.psm1') -Force
foreach ($name in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY') { Remove-Item "env:$name" -ErrorAction SilentlyContinue }
Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }

$work = Join-Path ([IO.Path]::GetTempPath()) "audit-bench-$PID"
New-Item -ItemType Directory -Force -Path $work | Out-Null
try {
    foreach ($i in 1..$Folders) {
        $folder = Join-Path $work ('repo{0:d4}/.devcontainer' -f $i)
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        Set-Content -LiteralPath "$folder/devcontainer.json" -Value "{`n  `"build`": { `"dockerfile`": `"Dockerfile`", `"args`": { `"VARIANT`": `"ubuntu`" } },`n  `"features`": {`n    `"ghcr.io/devcontainers/features/node:1`": {},`n    `"ghcr.io/octo-org/features/tool${i}:1`": {}`n  }`n}"
        Set-Content -LiteralPath "$folder/Dockerfile" -Value "ARG VARIANT=jammy`nFROM mcr.microsoft.com/devcontainers/base:`${VARIANT} AS base`nFROM ghcr.io/octo-org/app${i}:1`nCOPY --from=base /etc/os-release /etc/os-release`n"
    }
    $offline = foreach ($run in 1..$Runs) {
        $count = 0
        $time = Measure-Command { $count = @(Invoke-RegistryAudit -Path (Join-Path $work 'repo*') -Repository octo-org/app -SkipPull).Count }
        [pscustomobject]@{ Audit = "$Folders folders, -SkipPull, no token"; Run = $run; Results = $count; Milliseconds = [int]$time.TotalMilliseconds; ImagesPulled = '' }
    }

    $registry = Start-TestRegistry -Directory (Join-Path $work 'registry') -Image (1..$Images | ForEach-Object { "team/image${_}:1" })
    try {
        Set-TestSecretSet BENCH $registry.Host
        $pulled = Join-Path $work 'pulled/.devcontainer'
        New-Item -ItemType Directory -Force -Path $pulled | Out-Null
        Set-Content -LiteralPath "$pulled/devcontainer.json" -Value '{ "build": { "dockerfile": "Dockerfile" } }'
        $lines = 1..$Images | ForEach-Object { "FROM $($registry.Host)/team/image${_}:1 AS s$_" }
        $lines += 'FROM scratch'
        $lines += 1..$Images | ForEach-Object { "COPY --from=s$_ /hello.txt /hello$_.txt" }
        Set-Content -LiteralPath "$pulled/Dockerfile" -Value ($lines -join "`n")
        $online = foreach ($run in 1..$Runs) {
            $results = $null
            $time = Measure-Command { $results = @(Invoke-RegistryAudit -Path (Split-Path $pulled) -Repository octo-org/app -ThrottleLimit 4) }
            $passed = @($results | Where-Object { $_.Kind -eq 'Image' -and $_.Report.Passed }).Count
            [pscustomobject]@{ Audit = "$Images images with pull checks"; Run = $run; Results = $results.Count; Milliseconds = [int]$time.TotalMilliseconds; ImagesPulled = $passed }
        }
    }
    finally { $registry | Stop-TestRegistry }
    @($offline) + @($online) | Format-Table -AutoSize | Out-String -Width 200
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
