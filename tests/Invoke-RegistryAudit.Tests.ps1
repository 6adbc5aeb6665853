#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    Import-Module "$PSScriptRoot/TestRegistry/TestRegistry.psm1" -Force

    function Clear-TestSecretSets { Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" } }

    # The shipped Pester audit, run as a user runs it: a fresh process, the Pester version running this file, a container with -Data.
    function Invoke-ShippedAudit([hashtable] $Data) {
        $audit = Join-Path $PSScriptRoot '../out/CodespaceRegistry/Audit/CodespaceRegistry.Audit.Tests.ps1'
        $results = Join-Path $TestDrive "audit-$([guid]::NewGuid().ToString('n')).xml"
        $pester = (Get-Module Pester).Path
        $dataText = ($Data.GetEnumerator() | ForEach-Object { "$($_.Key) = $(if ($_.Value -is [bool]) { "`$$($_.Value)" } else { "'$($_.Value)'" })" }) -join '; '
        $script = "Import-Module '$pester'; `$c = New-PesterConfiguration; `$c.Run.Container = New-PesterContainer -Path '$audit' -Data @{ $dataText }; " +
            "`$c.Run.PassThru = `$true; `$c.Output.Verbosity = 'Detailed'; `$c.TestResult.Enabled = `$true; `$c.TestResult.OutputFormat = 'JUnitXml'; `$c.TestResult.OutputPath = '$results'; " +
            "`$r = Invoke-Pester -Configuration `$c; `$r.Tests | ForEach-Object { '##' + `$_.Result + '|' + `$_.ExpandedName + '|' + (`$_.ErrorRecord | Select-Object -First 1) }"
        $output = Invoke-FreshPwsh $script
        [pscustomobject]@{
            Output  = $output -join "`n"
            Tests   = @($output | Where-Object { $_ -like '##*' } | ForEach-Object { $result, $name, $message = $_.Substring(2) -split '\|', 3; [pscustomobject]@{ Result = $result; Name = $name; Message = $message } })
            XmlPath = $results
        }
    }
}

Describe 'Invoke-RegistryAudit offline (-SkipPull, no token)' {
    BeforeAll {
        $script:saved = Get-ChildItem env: | Where-Object { $_.Name -like '*_CONTAINER_REGISTRY_*' -or $_.Name -in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY' }
        Get-ChildItem env: | Where-Object { $_.Name -in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY' } | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:repo = Join-Path $TestDrive 'app'
        New-Item -ItemType Directory -Force -Path "$repo/.devcontainer", "$repo/.git" | Out-Null
        Set-Content -LiteralPath "$repo/.git/config" -Value "[core]`n`tbare = false`n[remote `"upstream`"]`n`turl = https://github.com/someone/else.git`n[remote `"origin`"]`n`turl = git@github.com:octo-org/app.git`n"
        Set-Content -LiteralPath "$repo/.devcontainer/devcontainer.json" -Value @'
{
  // the codespace's container
  "build": { "dockerfile": "Dockerfile" },
  "features": {
    "ghcr.io/devcontainers/features/node:1": {}
  }
}
'@
        Set-Content -LiteralPath "$repo/.devcontainer/Dockerfile" -Value "FROM ghcr.io/octo-org/base:1.4`nCOPY --from=mcr.microsoft.com/dotnet/sdk:8.0 /usr/share/dotnet /usr/share/dotnet`nCOPY --from=ghcr.io/octo-org/base:1.4 /etc/x /etc/x`n"
    }

    AfterAll {
        Clear-TestSecretSets
        $script:saved | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
    }

    BeforeEach { Clear-TestSecretSets }

    It 'reports each set and each distinct image and Feature, in a fixed order, with the file, line and column that names it' {
        $env:HALF_CONTAINER_REGISTRY_SERVER = 'registry.example'
        $results = Invoke-RegistryAudit -Path $repo -SkipPull
        $results.Subject | Should -Be @('HALF', 'ghcr.io/octo-org/base:1.4', 'mcr.microsoft.com/dotnet/sdk:8.0', 'ghcr.io/devcontainers/features/node:1')
        $results.Kind | Should -Be @('SecretSet', 'Image', 'Image', 'Feature')
        $results.Status | Should -Be @('Failed', 'Undetermined', 'Passed', 'Undetermined')
        $results[0].Id | Should -Be 'IncompleteSet'
        $results[0].Fix | Should -Match 'HALF_CONTAINER_REGISTRY_USER'
        $results[1].Id | Should -Be 'PackageFactsUnavailable'
        $results[2].Id | Should -Be 'PublicRegistry'
        ($results[1].File, $results[1].Line, $results[1].Column) | Should -Be @('.devcontainer/Dockerfile', 1, 6)
        ($results[2].File, $results[2].Line, $results[2].Column) | Should -Be @('.devcontainer/Dockerfile', 2, 13)
        ($results[3].File, $results[3].Line, $results[3].Column) | Should -Be @('.devcontainer/devcontainer.json', 5, 6)
        $results.Rule | Should -Be @('SecretSetValid', 'ImagePullable', 'ImagePullable', 'FeaturePullable')
        (Invoke-RegistryAudit -Path $repo -SkipPull | Select-Object Subject, Status, Id, File, Line, Column | ConvertTo-Json) | Should -Be ($results | Select-Object Subject, Status, Id, File, Line, Column | ConvertTo-Json)
    }

    It 'takes the repository from the folder''s git remote origin, -Repository and GITHUB_REPOSITORY' {
        (Invoke-RegistryAudit -Path $repo -SkipPull)[0].Repository | Should -Be 'octo-org/app'
        (Invoke-RegistryAudit -Path $repo -SkipPull -Repository octo-org/web)[0].Repository | Should -Be 'octo-org/web'
        $env:GITHUB_REPOSITORY = 'octo-org/site'
        try { (Invoke-RegistryAudit -Path $repo -SkipPull)[0].Repository | Should -Be 'octo-org/site' }
        finally { Remove-Item env:GITHUB_REPOSITORY }
    }

    It 'says RepositoryRequired for a folder with no repository, DevcontainerNotFound for one without a dev container, and goes on' {
        $plain = Join-Path $TestDrive 'plain'
        New-Item -ItemType Directory -Force -Path "$plain/.devcontainer" | Out-Null
        Set-Content -LiteralPath "$plain/.devcontainer/devcontainer.json" -Value '{ "image": "mcr.microsoft.com/devcontainers/base:ubuntu" }'
        $empty = Join-Path $TestDrive 'empty'
        New-Item -ItemType Directory -Force -Path $empty | Out-Null
        $results = Invoke-RegistryAudit -LiteralPath $plain, $empty, $repo -SkipPull -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Be @('RepositoryRequired,CodespaceRegistry.Commands.InvokeRegistryAuditCommand', 'DevcontainerNotFound,CodespaceRegistry.Commands.InvokeRegistryAuditCommand')
        $results.Repository | Sort-Object -Unique | Should -Be 'octo-org/app'
        { Invoke-RegistryAudit -Path $repo -SkipPull -Repository 'not a repository' } | Should -Throw -ErrorId 'GitHubInvalidRepositoryName,CodespaceRegistry.Commands.InvokeRegistryAuditCommand'
    }

    It 'expands wildcards in -Path as Find-RegistryReference does' {
        $results = Invoke-RegistryAudit -Path (Join-Path $TestDrive 'a*') -SkipPull
        $results.Subject | Should -Contain 'ghcr.io/octo-org/base:1.4'
    }

    It 'exports JSON with enum names and SARIF whose results point at the lines that name the images' {
        $env:HALF_CONTAINER_REGISTRY_SERVER = 'registry.example'
        $results = Invoke-RegistryAudit -Path $repo -SkipPull
        $json = $results | Export-RegistryAudit -Format Json | ConvertFrom-Json
        $json.Status | Should -Be @('Failed', 'Undetermined', 'Passed', 'Undetermined')
        $json.Kind | Should -Be @('SecretSet', 'Image', 'Image', 'Feature')

        $sarifPath = Join-Path $TestDrive 'audit.sarif'
        $results | Export-RegistryAudit -Format Sarif -Path $sarifPath
        $sarif = Get-Content -Raw $sarifPath | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        $run = $sarif.runs[0]
        $run.tool.driver.rules.id | Should -Be @('SecretSetValid', 'ImagePullable', 'FeaturePullable')
        $run.results.level | Should -Be @('error', 'note', 'note')
        $image = $run.results | Where-Object { $_.message.text -like 'Image ghcr.io/octo-org/base:1.4*' }
        $location = $image.locations[0].physicalLocation
        $location.artifactLocation.uri | Should -Be '.devcontainer/Dockerfile'
        (Get-Content -LiteralPath (Join-Path $repo $location.artifactLocation.uri))[$location.region.startLine - 1].Substring($location.region.startColumn - 1) | Should -BeLike 'ghcr.io/octo-org/base:1.4*'
        $again = Invoke-RegistryAudit -Path $repo -SkipPull | Export-RegistryAudit -Format Sarif | ConvertFrom-Json
        $again.runs[0].results.partialFingerprints.'codespaceRegistrySubject/v1' | Should -Be $run.results.partialFingerprints.'codespaceRegistrySubject/v1'
    }

    It 'runs as the shipped Pester audit, one test per subject, named for what a codespace needs' {
        $env:HALF_CONTAINER_REGISTRY_SERVER = 'registry.example'
        $run = Invoke-ShippedAudit @{ Path = $repo; SkipPull = $true }
        $run.Tests.Name | Should -Be @(
            'secret set HALF is complete and valid'
            'image ghcr.io/octo-org/base:1.4 (.devcontainer/Dockerfile:1) can be pulled by a codespace of octo-org/app'
            'image mcr.microsoft.com/dotnet/sdk:8.0 (.devcontainer/Dockerfile:2) can be pulled by a codespace of octo-org/app'
            'feature ghcr.io/devcontainers/features/node:1 (.devcontainer/devcontainer.json:5) can be pulled by a codespace of octo-org/app'
        ) -Because $run.Output
        $run.Tests.Result | Should -Be @('Failed', 'Skipped', 'Passed', 'Skipped')
        $run.Tests[0].Message | Should -Match 'Fix: Add the secret HALF_CONTAINER_REGISTRY_USER'
        [xml] $junit = Get-Content -Raw $run.XmlPath
        $junit.testsuites.failures | Should -Be 1
    }

    It 'passes a warning, and fails it with WarningsAsFailures, saying what to fix' {
        $env:HUB_CONTAINER_REGISTRY_SERVER = 'docker.io'   # a Docker Hub alias: docker logs in to https://index.docker.io/v1/
        $env:HUB_CONTAINER_REGISTRY_USER = 'octocat'
        $env:HUB_CONTAINER_REGISTRY_PASSWORD = 'dckr_pat_fake-warning'
        $lenient = Invoke-ShippedAudit @{ Path = $repo; SkipPull = $true }
        ($lenient.Tests | Where-Object Name -eq 'secret set HUB is complete and valid').Result | Should -Be 'Passed' -Because $lenient.Output
        $strict = Invoke-ShippedAudit @{ Path = $repo; SkipPull = $true; WarningsAsFailures = $true }
        $hub = $strict.Tests | Where-Object Name -eq 'secret set HUB is complete and valid'
        $hub.Result | Should -Be 'Failed' -Because $strict.Output
        $hub.Message | Should -Match 'Warning: .*Fix: .*\[DockerHubAlias\]'
    }
}

Describe 'Invoke-RegistryAudit against registries on 127.0.0.1' {
    BeforeAll {
        $script:saved = Get-ChildItem env: | Where-Object { $_.Name -like '*_CONTAINER_REGISTRY_*' -or $_.Name -in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY', 'CODESPACE_REGISTRY_CERTS_D', 'DOCKER_CONFIG' }
        Get-ChildItem env: | Where-Object { $_.Name -in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY' } | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $env:DOCKER_CONFIG = Join-Path $TestDrive 'docker'
        $certsD = Join-Path $TestDrive 'certs.d'
        $env:CODESPACE_REGISTRY_CERTS_D = $certsD
        $script:good = Start-TestRegistry -Directory (Join-Path $TestDrive 'good') -Image 'team/base:1', 'team/feature:1' -CertsD $certsD
        $script:wrong = Start-TestRegistry -Directory (Join-Path $TestDrive 'wrong') -Image 'team/base:1' -CertsD $certsD

        $script:repo = Join-Path $TestDrive 'app'
        New-Item -ItemType Directory -Force -Path "$repo/.devcontainer" | Out-Null
        Set-Content -LiteralPath "$repo/.devcontainer/devcontainer.json" -Value "{`n  `"build`": { `"dockerfile`": `"Dockerfile`" },`n  `"features`": {`n    `"$($good.Host)/team/feature:1`": {}`n  }`n}"
        Set-Content -LiteralPath "$repo/.devcontainer/Dockerfile" -Value (@(
            "FROM $($good.Host)/team/base:1 AS tools"
            "FROM $($wrong.Host)/team/base:1"
            "COPY --from=tools /etc/hostname /x"
            "COPY --from=$($good.Host)/team/gone:1 /y /y"
            "COPY --from=$($good.Host)/team/base:1 /z /z"
        ) -join "`n")
    }

    AfterAll {
        $script:good, $script:wrong | Stop-TestRegistry
        Clear-TestSecretSets
        Get-ChildItem env: | Where-Object { $_.Name -in 'CODESPACE_REGISTRY_CERTS_D', 'DOCKER_CONFIG' } | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:saved | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
    }

    BeforeEach {
        Clear-TestSecretSets
        Set-TestSecretSet GOOD $good.Host
        Set-TestSecretSet WRONG $wrong.Host -Password 'Canary-wrong-password-77f1'
    }

    It 'passes what a codespace can pull, fails a wrong password and a missing image, each with its fix' {
        $results = Invoke-RegistryAudit -Path $repo -Repository octo-org/app -ThrottleLimit 3
        $results.Subject | Should -Be @('GOOD', 'WRONG', "$($good.Host)/team/base:1", "$($wrong.Host)/team/base:1", "$($good.Host)/team/gone:1", "$($good.Host)/team/feature:1")
        $results.Status | Should -Be @('Passed', 'Passed', 'Passed', 'Failed', 'Failed', 'Passed') -Because ($results.Message -join "`n")
        $wrongImage = $results[3]
        $wrongImage.Id | Should -Be 'RegistryLoginUnauthorized'
        $wrongImage.Message | Should -Match 'with secret set WRONG'
        $wrongImage.Fix | Should -Not -BeNullOrEmpty
        $wrongImage.Report.FirstFailure.Name | Should -Be 'Authentication'
        $results[4].Report.FirstFailure.Name | Should -Be 'Pull'
        $results[4].Fix | Should -Not -BeNullOrEmpty
        $results[4].Line | Should -Be 4
        $results[2].Message | Should -Match 'with secret set GOOD'
        $results[5].Kind | Should -Be 'Feature'
    }

    It 'fails the shipped Pester audit''s tests that a codespace would fail, saying what to fix' {
        $run = Invoke-ShippedAudit @{ Path = $repo; Repository = 'octo-org/app'; SkipPull = $false; WarningsAsFailures = $true }
        $run.Tests.Result | Should -Be @('Passed', 'Passed', 'Passed', 'Failed', 'Failed', 'Passed') -Because $run.Output
        $run.Tests[3].Name | Should -Be "image $($wrong.Host)/team/base:1 (.devcontainer/Dockerfile:2) can be pulled by a codespace of octo-org/app"
        $run.Tests[3].Message | Should -Match 'Authentication failed with secret set WRONG: .+ Fix: .+\[RegistryLoginUnauthorized\]'
        $run.Tests[4].Message | Should -Match 'Pull failed'
        $run.Output | Should -Not -Match 'Canary'
    }

    It 'writes SARIF that the official SARIF 2.1.0 schema accepts, with results at the lines that name the images' {
        # Sarif.Sdk ships the OASIS schema (draft 2020-12); Test-Json is PowerShell's own validator.
        $schema = Join-Path $PSScriptRoot '../build/obj/packages/sarif.sdk/5.8.0/Schemata/sarif-2.1.0.json'
        $sarif = Invoke-RegistryAudit -Path $repo -Repository octo-org/app | Export-RegistryAudit -Format Sarif
        $sarif | Test-Json -SchemaFile $schema -ErrorAction Stop | Should -BeTrue
        $log = $sarif | ConvertFrom-Json
        $log.runs[0].results.level | Should -Be @('error', 'error')
        $lines = Get-Content -LiteralPath "$repo/.devcontainer/Dockerfile"
        foreach ($result in $log.runs[0].results) {
            $location = $result.locations[0].physicalLocation
            $location.artifactLocation.uri | Should -Be '.devcontainer/Dockerfile'
            $lines[$location.region.startLine - 1].Substring($location.region.startColumn - 1) | Should -BeLike "$($result.message.text.Split(' ')[1].TrimEnd(':'))*"
        }
        # The validator is live: a level the schema does not know is refused.
        $log.runs[0].results[0].level = 'fatal'
        $log | ConvertTo-Json -Depth 30 | Test-Json -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'keeps every password out of output, verbose text, JSON and SARIF' {
        $all = Invoke-RegistryAudit -Path $repo -Repository octo-org/app -Verbose *>&1 | Out-String -Width 300
        $results = Invoke-RegistryAudit -Path $repo -Repository octo-org/app
        $all += $results | Format-List * | Out-String -Width 300
        $all += $results | ConvertTo-Json -Depth 6
        $all += $results | Export-RegistryAudit -Format Json
        $all += $results | Export-RegistryAudit -Format Sarif
        $all | Should -Not -Match 'Canary'
        $all | Should -Not -Match 'PasswordLength|SecureString'
    }
}
