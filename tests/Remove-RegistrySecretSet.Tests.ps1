#Requires -Version 7.0
# No GitHub here: these tests prove what happens before the API is contacted (validation, -WhatIf, missing token).
# The API round trips are proved in xunit against a loopback GitHub (tests/CodespaceRegistry.Core.Tests/Secrets).
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
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

Describe 'Remove-RegistrySecretSet' {
    It '-WhatIf removes nothing and needs neither a token nor the network' {
        $result = Remove-RegistrySecretSet -Name ACME, HUB -Organization octo-org -WhatIf -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'asks for confirmation by default (ConfirmImpact High)' {
        $attribute = (Get-Command Remove-RegistrySecretSet).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        $attribute.SupportsShouldProcess | Should -BeTrue
    }

    It 'takes Name from the pipeline by property name' {
        $result = [pscustomobject]@{ Name = 'ACME' } | Remove-RegistrySecretSet -User -WhatIf -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'stops with GitHubTokenMissing when there is no token' {
        { Remove-RegistrySecretSet -Name ACME -Repository octo-org/app -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'GitHubTokenMissing,CodespaceRegistry.Commands.RemoveRegistrySecretSetCommand'
    }

    It 'refuses an organization name that is not a login' {
        { Remove-RegistrySecretSet -Name ACME -Organization 'octo org' -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'GitHubInvalidOrganizationName,CodespaceRegistry.Commands.RemoveRegistrySecretSetCommand'
    }

    It 'needs a level' {
        { Remove-RegistrySecretSet -Name ACME -Organization octo-org -User -WhatIf } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,CodespaceRegistry.Commands.RemoveRegistrySecretSetCommand'
    }
}
