#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    $script:canary = 'canary-Pa55w0rd-51be7a'
    $script:saved = Get-ChildItem env: | Where-Object Name -match '_CONTAINER_REGISTRY_|^GH_TOKEN$|^GITHUB_TOKEN$|^GITHUB_API_URL$|^GITHUB_REPOSITORY$'
    $script:saved | ForEach-Object { Remove-Item "env:$($_.Name)" }
    $env:ACR_CONTAINER_REGISTRY_SERVER = 'myreg.azurecr.io'
    $env:ACR_CONTAINER_REGISTRY_USER = 'puller'
    $env:ACR_CONTAINER_REGISTRY_PASSWORD = $script:canary
}

AfterAll {
    Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
    Remove-Item env:GITHUB_REPOSITORY -ErrorAction SilentlyContinue
    $script:saved | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
}

Describe 'Resolve-PackageAccess' {
    It 'covers a non-GitHub registry with a set from the environment' {
        $decision = Resolve-PackageAccess -Package myreg.azurecr.io/team/app:2 -Repository octo-org/web
        $decision.Outcome | Should -Be 'CoveredBySecretSet'
        $decision.Rule | Should -Be 'SecretSetForServer'
        $decision.SecretSets | Should -Be @('ACR')
        $decision.Facts.Registry | Should -Be 'myreg.azurecr.io'
        $decision.IsAllowed | Should -BeTrue
    }

    It 'uses the sets given with -SecretSet instead of the environment' {
        $decision = Resolve-PackageAccess myreg.azurecr.io/team/app:2 octo-org/web -SecretSet @()
        $decision.Outcome | Should -Be 'NeedsSecretSet'
        $decision.Rule | Should -Be 'NoSecretSetForServer'
        $decision.SettingsUrl | Should -Be 'https://github.com/octo-org/web/settings/secrets/codespaces'
        $decision.Fix | Should -Match '_CONTAINER_REGISTRY_SERVER = myreg.azurecr.io'
        # A lookup that found nothing is no sets, not the environment's.
        (Resolve-PackageAccess myreg.azurecr.io/team/app:2 octo-org/web -SecretSet (Get-RegistrySecretSet -Name 'NOSUCH*')).Rule | Should -Be 'NoSecretSetForServer'
    }

    It 'takes piped sets from Get-RegistrySecretSet' {
        $sets = Get-RegistrySecretSet -Name ACR
        (Resolve-PackageAccess quay.io/octo/app octo-org/web -SecretSet $sets).Rule | Should -Be 'NoSecretSetForServer'
        (Resolve-PackageAccess myreg.azurecr.io/x octo-org/web -SecretSet $sets).Rule | Should -Be 'SecretSetForServer'
    }

    It 'names a classic PAT for publishing to GitHub Packages' {
        $decision = Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/web -Operation Publish -SecretSet @()
        $decision.Outcome | Should -Be 'NeedsClassicPat'
        $decision.Rule | Should -Be 'PublishNeedsClassicPat'
        $decision.Fix | Should -Match 'GitHub Actions'
    }

    It 'reports Maven packages as repository-scoped' {
        (Resolve-PackageAccess maven.pkg.github.com/octo-org/web/com.example.app -Repository octo-org/web).Rule | Should -Be 'RepositoryScopedRegistry'
    }

    It 'leaves a GitHub package undetermined without a token, with its settings page' {
        $decision = Resolve-PackageAccess ghcr.io/octo-org/tools/lint:1 -Repository octo-org/web -SecretSet @()
        $decision.Outcome | Should -Be 'Undetermined'
        $decision.Rule | Should -Be 'PackageFactsUnavailable'
        $decision.Facts.PackageVisibility | Should -BeNullOrEmpty
        $decision.SettingsUrl | Should -Be 'https://github.com/orgs/octo-org/packages/container/tools%2Flint/settings'
    }

    It 'takes the repository from GITHUB_REPOSITORY inside a codespace' {
        $env:GITHUB_REPOSITORY = 'octo-org/site'
        try { (Resolve-PackageAccess ubuntu:24.04).Repository | Should -Be 'octo-org/site' }
        finally { Remove-Item env:GITHUB_REPOSITORY }
    }

    It 'takes packages from the pipeline, as strings or by Reference' {
        $decisions = 'ubuntu:24.04', 'quay.io/octo/app' | Resolve-PackageAccess -Repository octo-org/web -SecretSet @()
        $decisions.Rule | Should -Be @('PublicRegistry', 'NoSecretSetForServer')
        ([pscustomobject]@{ Reference = 'mcr.microsoft.com/dotnet/sdk:8.0' } | Resolve-PackageAccess -Repository octo-org/web).Outcome | Should -Be 'Public'
    }

    It 'never shows a set password' {
        $decision = Resolve-PackageAccess myreg.azurecr.io/team/app:2 -Repository octo-org/web
        ($decision | Format-List * | Out-String) | Should -Not -Match $script:canary
        ($decision | ConvertTo-Json -Depth 5) | Should -Not -Match $script:canary
    }

    It 'writes InvalidImageReference for a bad package and goes on' {
        $decisions = Resolve-PackageAccess 'Not A Reference', 'ubuntu' -Repository octo-org/web -ErrorVariable errs -ErrorAction SilentlyContinue
        $decisions.Package | Should -Be 'ubuntu'
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidImageReference,CodespaceRegistry.Commands.ResolvePackageAccessCommand'
    }

    It 'stops with GitHubInvalidRepositoryName for a repository that is not owner/name' {
        { Resolve-PackageAccess ubuntu -Repository 'web' -ErrorAction Stop } | Should -Throw -ErrorId 'GitHubInvalidRepositoryName,CodespaceRegistry.Commands.ResolvePackageAccessCommand'
    }

    It 'stops with RepositoryRequired when no repository is named' {
        { Resolve-PackageAccess ubuntu -ErrorAction Stop } | Should -Throw -ErrorId 'RepositoryRequired,CodespaceRegistry.Commands.ResolvePackageAccessCommand'
    }
}
