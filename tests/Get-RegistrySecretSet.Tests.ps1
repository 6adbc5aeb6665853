#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    $script:canary = 'canary-Pa55w0rd-7d1e0c'
    $script:saved = Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*'
    $script:saved | ForEach-Object { Remove-Item "env:$($_.Name)" }
    $env:ACME_CONTAINER_REGISTRY_SERVER = 'ghcr.io'
    $env:ACME_CONTAINER_REGISTRY_USER = 'octocat'
    $env:ACME_CONTAINER_REGISTRY_PASSWORD = $script:canary
    $env:HUB_CONTAINER_REGISTRY_SERVER = 'docker.io'
    $env:HUB_CONTAINER_REGISTRY_USER = 'octocat'
}

AfterAll {
    Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
    $script:saved | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
}

Describe 'Get-RegistrySecretSet' {
    It 'finds and groups the sets in the environment' {
        $sets = Get-RegistrySecretSet
        $sets.Name | Should -Be @('ACME', 'HUB')
        $acme = $sets | Where-Object Name -eq 'ACME'
        $acme.IsComplete | Should -BeTrue
        $acme.Server.Kind | Should -Be 'GitHubContainerRegistry'
        $acme.User | Should -Be 'octocat'
        $acme.Password | Should -BeOfType [securestring]
    }

    It 'reports what is wrong, with a fix' {
        $hub = Get-RegistrySecretSet -Name HUB
        $hub.IsComplete | Should -BeFalse
        $hub.Findings.Id | Should -Contain 'IncompleteSet'
        $hub.Findings.Id | Should -Contain 'DockerHubAlias'
        $hub.Findings | ForEach-Object { $_.Fix | Should -Not -BeNullOrEmpty }
    }

    It 'returns nothing and no error when the environment holds no set' {
        $all = Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*'
        $all | ForEach-Object { Remove-Item "env:$($_.Name)" }
        try {
            $found = Get-RegistrySecretSet -ErrorVariable failed -ErrorAction SilentlyContinue
            $found | Should -BeNullOrEmpty
            $failed | Should -BeNullOrEmpty
        }
        finally {
            $all | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
        }
    }

    It 'keeps the password out of what serialisers write, even its length' {
        $acme = Get-RegistrySecretSet -Name ACME
        $acme.Password | Should -BeOfType [securestring]
        $json = $acme | ConvertTo-Json -Depth 3
        $json | Should -Not -Match '"Password"'
        $json | Should -Not -Match '"Length"'
        ($acme | Get-Member -Name Password) | Should -BeNullOrEmpty
    }

    It 'filters by name with wildcards' {
        (Get-RegistrySecretSet -Name 'AC*').Name | Should -Be 'ACME'
    }

    It 'never shows the password unless -AsPlainText is given' {
        $text = Get-RegistrySecretSet | Format-List * | Out-String
        $text | Should -Not -Match $script:canary
        (Get-RegistrySecretSet | Out-String) | Should -Not -Match $script:canary
        (Get-RegistrySecretSet -Name ACME).ToString() | Should -Not -Match $script:canary
        (Get-RegistrySecretSet -Name ACME | ConvertTo-Json -Depth 5) | Should -Not -Match $script:canary
        (Get-RegistrySecretSet -Name ACME -AsPlainText).PlainTextPassword | Should -Be $script:canary
    }

    It 'writes RegistrySecretSetNotFound for a name that matches nothing' {
        { Get-RegistrySecretSet -Name NOPE -ErrorAction Stop } | Should -Throw -ErrorId 'RegistrySecretSetNotFound,CodespaceRegistry.Commands.GetRegistrySecretSetCommand'
    }

    Context 'at user, repository and organization level (GitHub API)' {
        # No GitHub here: these prove what happens before the API is contacted. The API round trips, the grouping and
        # the effective-set decisions are proved in xunit against a loopback GitHub (tests/CodespaceRegistry.Core.Tests).
        BeforeAll {
            $script:savedGitHub = @{}
            foreach ($name in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_API_URL') {
                $script:savedGitHub[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $null)
            }
        }

        AfterAll {
            foreach ($name in $script:savedGitHub.Keys) { [Environment]::SetEnvironmentVariable($name, $script:savedGitHub[$name]) }
        }

        It 'stops with GitHubTokenMissing when there is no token: <Level>' -ForEach @(
            @{ Level = 'Organization'; Arguments = @{ Organization = 'octo-org' } }
            @{ Level = 'Repository'; Arguments = @{ Repository = 'octo-org/app' } }
            @{ Level = 'User'; Arguments = @{ User = $true } }
        ) {
            { Get-RegistrySecretSet @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId 'GitHubTokenMissing,CodespaceRegistry.Commands.GetRegistrySecretSetCommand'
        }

        It 'refuses a plain-http GITHUB_API_URL, which would send the token unencrypted' {
            $env:GITHUB_API_URL = 'http://ghe.example.com/api/v3'
            try {
                { Get-RegistrySecretSet -Organization octo-org -Token (ConvertTo-SecureString 'ghp_x' -AsPlainText -Force) -ErrorAction Stop } |
                    Should -Throw -ErrorId 'GitHubInvalidApiUrl,CodespaceRegistry.Commands.GetRegistrySecretSetCommand'
            }
            finally { $env:GITHUB_API_URL = $null }
        }

        It 'refuses a repository that is not owner/name before contacting GitHub' {
            { Get-RegistrySecretSet -Repository app -Token (ConvertTo-SecureString 'ghp_x' -AsPlainText -Force) -ErrorAction Stop } |
                Should -Throw -ErrorId 'GitHubInvalidRepositoryName,CodespaceRegistry.Commands.GetRegistrySecretSetCommand'
        }

        It 'shows no password for API sets: -AsPlainText belongs to the environment' {
            { Get-RegistrySecretSet -Organization octo-org -AsPlainText } |
                Should -Throw -ErrorId 'AmbiguousParameterSet,CodespaceRegistry.Commands.GetRegistrySecretSetCommand'
        }

        It 'reads only the levels named with -Level' {
            $validateSet = (Get-Command Get-RegistrySecretSet).Parameters['Level'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
            $validateSet.ValidValues | Should -Be @('User', 'Repository', 'Organization')
        }
    }
}
