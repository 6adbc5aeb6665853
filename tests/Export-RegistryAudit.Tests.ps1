#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
}

Describe 'Export-RegistryAudit' {
    BeforeAll {
        $script:saved = Get-ChildItem env: | Where-Object { $_.Name -like '*_CONTAINER_REGISTRY_*' -or $_.Name -in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY' }
        $script:saved | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $env:ACME_CONTAINER_REGISTRY_SERVER = 'registry.example'
        $env:ACME_CONTAINER_REGISTRY_USER = 'octocat'
        $env:ACME_CONTAINER_REGISTRY_PASSWORD = 'Canary-export-pester-41d0 '
        $script:repo = Join-Path $TestDrive 'web'
        New-Item -ItemType Directory -Force -Path "$repo/.devcontainer" | Out-Null
        Set-Content -LiteralPath "$repo/.devcontainer/devcontainer.json" -Value "{`n  `"image`": `"ghcr.io/octo-org/web:2`"`n}"
        $script:results = Invoke-RegistryAudit -Path $repo -Repository octo-org/web -SkipPull
    }

    AfterAll {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:saved | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
    }

    It 'writes JSON to the pipeline with enum values as names and no password' {
        $text = $results | Export-RegistryAudit -Format Json
        $text | Should -BeOfType [string]
        $json = $text | ConvertFrom-Json
        $json.Kind | Should -Be @('SecretSet', 'Image')
        $json.Status | Should -Be @('Failed', 'Undetermined')
        $json[1].File | Should -Be '.devcontainer/devcontainer.json'
        $json[1].Line | Should -Be 2
        $text | Should -Not -Match 'Canary|SecureString'
    }

    It 'writes SARIF 2.1.0 to a file, with rules that have help, and results at the line that names the image' {
        $path = Join-Path $TestDrive 'out/audit.sarif'
        New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
        $results | Export-RegistryAudit -Format Sarif -Path $path | Should -BeNullOrEmpty
        $sarif = Get-Content -Raw $path | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        $sarif.runs[0].tool.driver.rules | ForEach-Object { $_.help.text | Should -Not -BeNullOrEmpty; $_.helpUri | Should -Match '^https://' }
        $image = $sarif.runs[0].results | Where-Object ruleId -eq 'ImagePullable'
        $image.level | Should -Be 'note'
        $image.locations[0].physicalLocation.artifactLocation.uri | Should -Be '.devcontainer/devcontainer.json'
        $image.locations[0].physicalLocation.region.startLine | Should -Be 2
        $image.locations[0].physicalLocation.region.startColumn | Should -Be 13
        Get-Content -Raw $path | Should -Not -Match 'Canary'
    }

    It 'takes results from a variable as well as the pipeline' {
        (Export-RegistryAudit -InputObject $results -Format Json | ConvertFrom-Json).Count | Should -Be 2
    }
}
