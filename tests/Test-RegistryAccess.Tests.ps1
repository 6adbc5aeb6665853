#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force

    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }
}

Describe 'Test-RegistryAccess' {
    BeforeAll {
        $script:savedSets = Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*'
        # The StoredCredentials check reads docker's config: an empty one here, never this machine's (whose credsStore may prompt).
        $script:savedDockerConfig = $env:DOCKER_CONFIG
        $env:DOCKER_CONFIG = Join-Path $TestDrive 'docker'
    }

    AfterAll {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:savedSets | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
        $env:DOCKER_CONFIG = $script:savedDockerConfig
    }

    BeforeEach {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
    }

    It 'stops at DNS for a host that does not resolve and skips what follows' {
        $report = Test-RegistryAccess -Server 'registry.invalid'
        $report.Passed | Should -BeFalse
        $report.FirstFailure.Name | Should -Be 'Dns'
        $report.FirstFailure.ErrorId | Should -Be 'RegistryDnsFailure'
        ($report.Checks | Where-Object Name -eq 'RegistryApi').Status | Should -Be 'Skipped'
    }

    It 'reports a refused connection on a closed loopback port' {
        $port = Get-ClosedPort
        $report = Test-RegistryAccess -Server "127.0.0.1:$port"
        $report.FirstFailure.Name | Should -Be 'Connection'
        $report.FirstFailure.ErrorId | Should -Be 'RegistryConnectionRefused'
        $report.FirstFailure.Remediation | Should -Not -BeNullOrEmpty
    }

    It 'returns only a boolean with -Quiet' {
        $result = Test-RegistryAccess -Server 'registry.invalid' -Quiet
        $result | Should -BeOfType [bool]
        $result | Should -BeFalse
    }

    It 'checks secret sets from Get-RegistrySecretSet and fails an incomplete one first' {
        $env:HALF_CONTAINER_REGISTRY_SERVER = 'registry.invalid'
        $env:HALF_CONTAINER_REGISTRY_USER = 'octocat'
        $report = Get-RegistrySecretSet -Name HALF | Test-RegistryAccess
        $report.SecretSet | Should -Be 'HALF'
        $report.Checks[0].Name | Should -Be 'SecretSet'
        $report.Checks[0].Status | Should -Be 'Failed'
    }

    It 'reports the failed ECR swap and its identity check for an access-key set, without showing the secret' {
        $port = Get-ClosedPort
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AKIAIOSFODNN7EXAMPLE'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = 'Canary-aws-secret-9d1f'
        $report = Get-RegistrySecretSet -Name ECR | Test-RegistryAccess -EcrEndpointUrl "http://127.0.0.1:$port/" -StsEndpointUrl "http://127.0.0.1:$port/"
        ($report.Checks | Where-Object Name -eq 'AwsIdentity').ErrorId | Should -Be 'AwsEndpointUnreachable'
        ($report.Checks | Where-Object Name -eq 'EcrToken').ErrorId | Should -Be 'AwsEndpointUnreachable'
        ($report.Checks | Where-Object Name -eq 'Authentication').Status | Should -Be 'Skipped'
        ($report | ConvertTo-Json -Depth 5) | Should -Not -Match 'Canary'
    }

    It 'reads the expiry of an ECR token offline, where the access report takes it from' {
        # Test-RegistryAccess goes on to resolve the ECR host; the Core tests cover its EcrToken check on loopback.
        $expires = [DateTimeOffset]::UtcNow.AddMinutes(30)
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AWS'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((@{ payload = 'x'; expiration = $expires.ToUnixTimeSeconds() } | ConvertTo-Json -Compress)))
        $set = Get-RegistrySecretSet -Name ECR
        $set.EcrMode | Should -Be 'Token'
        $set.TokenExpiresAt.ToUnixTimeSeconds() | Should -Be $expires.ToUnixTimeSeconds()
    }

    It 'checks many inputs concurrently and returns one report each' {
        $reports = Test-RegistryAccess -Server 'a.invalid', 'b.invalid', 'c.invalid' -ThrottleLimit 2
        $reports.Count | Should -Be 3
        $reports.Target | Sort-Object | Should -Be @('a.invalid', 'b.invalid', 'c.invalid')
    }

    It 'takes servers from Get-RegistryServer' {
        $report = Get-RegistryServer 'registry.invalid' | Test-RegistryAccess
        $report.Target | Should -Be 'registry.invalid'
    }

    It 'writes InvalidRegistryServer for a server that cannot be parsed and goes on' {
        $reports = Test-RegistryAccess -Server 'ftp://x', 'registry.invalid' -ErrorVariable errs -ErrorAction SilentlyContinue
        $reports.Target | Should -Be 'registry.invalid'
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidRegistryServer,CodespaceRegistry.Commands.TestRegistryAccessCommand'
    }
}
