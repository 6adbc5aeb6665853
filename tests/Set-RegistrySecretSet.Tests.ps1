#Requires -Version 7.0
# No GitHub here: these tests prove what happens before the API is contacted (validation, -WhatIf, missing token).
# The API round trips are proved in xunit against a loopback GitHub (tests/CodespaceRegistry.Core.Tests/Secrets).
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    $script:canary = 'canary-Pa55w0rd-7d1e0c'
    $script:credential = [pscredential]::new('octocat', (ConvertTo-SecureString $script:canary -AsPlainText -Force))
    $script:saved = @{}
    foreach ($name in 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_API_URL') {
        $script:saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    # Nothing listens here: a request would fail with GitHubUnreachable.
    $env:GITHUB_API_URL = 'http://127.0.0.1:9/api/v3'
}

AfterAll {
    foreach ($name in $script:saved.Keys) { [Environment]::SetEnvironmentVariable($name, $script:saved[$name]) }
}

Describe 'Set-RegistrySecretSet' {
    It '-WhatIf writes nothing and needs neither a token nor the network' {
        $result = Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $script:credential -Organization octo-org -SelectedRepository octo-org/app -WhatIf -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'takes Name and Server from the pipeline by property name' {
        $result = [pscustomobject]@{ Name = 'ACME'; ServerValue = 'ghcr.io' } |
            Set-RegistrySecretSet -Credential $script:credential -Repository octo-org/app -WhatIf -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'stops with GitHubTokenMissing when there is no token' {
        { Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $script:credential -Repository octo-org/app -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'GitHubTokenMissing,CodespaceRegistry.Commands.SetRegistrySecretSetCommand'
    }

    It 'refuses a set a codespace could not use, and never shows the password' {
        $bad = [pscredential]::new('octocat', (ConvertTo-SecureString " $($script:canary)" -AsPlainText -Force))
        $err = { Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $bad -Repository octo-org/app -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRegistrySecretSet,CodespaceRegistry.Commands.SetRegistrySecretSetCommand' -PassThru
        $err.Exception.Message | Should -Not -Match $script:canary
        $err.Exception.Message | Should -Match 'white space'
    }

    It 'refuses an identifier GitHub refuses: <Name>' -ForEach @(
        @{ Name = 'GITHUB_ACME' }
        @{ Name = '9LIVES' }
        @{ Name = 'MY-REGISTRY' }
    ) {
        { Set-RegistrySecretSet -Name $Name -Server ghcr.io -Credential $script:credential -Repository octo-org/app -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRegistrySecretSet,CodespaceRegistry.Commands.SetRegistrySecretSetCommand'
    }

    It 'refuses -SelectedRepository with a visibility other than Selected' {
        { Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $script:credential -Organization octo-org -Visibility All -SelectedRepository octo-org/app -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRegistrySecretPolicy,CodespaceRegistry.Commands.SetRegistrySecretSetCommand'
    }

    It 'refuses a repository that is not owner/name' {
        { Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $script:credential -Repository app -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'GitHubInvalidRepositoryName,CodespaceRegistry.Commands.SetRegistrySecretSetCommand'
    }

    It 'takes -Visibility only with -Organization' {
        { Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $script:credential -Repository octo-org/app -Visibility All -WhatIf } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,CodespaceRegistry.Commands.SetRegistrySecretSetCommand'
    }

    It 'offers All, Private and Selected as visibilities' {
        (Get-Command Set-RegistrySecretSet).Parameters['Visibility'].ParameterType.GenericTypeArguments[0].GetEnumNames() |
            Should -Be @('All', 'Private', 'Selected')
    }
}
