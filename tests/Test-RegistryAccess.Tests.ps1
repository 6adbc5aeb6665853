#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    Import-Module "$PSScriptRoot/TestRegistry/TestRegistry.psm1" -Force # Get-ClosedPort, Start-TestRegistry, Invoke-FreshPwsh
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

Describe 'Test-RegistryAccess as a codespace checks images' {
    BeforeAll {
        $script:savedSets = Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*'
        $script:savedDockerConfig = $env:DOCKER_CONFIG
        $script:savedCertsD = $env:CODESPACE_REGISTRY_CERTS_D
        $env:DOCKER_CONFIG = Join-Path $TestDrive 'docker'
        $script:certsD = Join-Path $TestDrive 'certs.d'
        $env:CODESPACE_REGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d'
        $script:local = Start-TestRegistry -Directory (Join-Path $TestDrive 'local') -Image 'team/tiny:1', 'team/base:2'
        $script:tls = Start-TestRegistry -Directory (Join-Path $TestDrive 'tls') -Image 'team/tiny:1' -CertsD $script:certsD
        $script:closed = "127.0.0.1:$(Get-ClosedPort)"
    }

    AfterAll {
        $script:local, $script:tls | Stop-TestRegistry
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:savedSets | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
        $env:DOCKER_CONFIG = $script:savedDockerConfig
        $env:CODESPACE_REGISTRY_CERTS_D = $script:savedCertsD
    }

    BeforeEach {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        Set-TestSecretSet LOCAL $script:local.Host
    }

    It 'checks an image with the set for its registry, and says so' {
        $report = Test-RegistryAccess -Image "$($local.Host)/team/tiny:1"
        $report.Passed | Should -BeTrue -Because $report.Summary
        $report.SecretSet | Should -Be 'LOCAL'
        $report.CredentialSource | Should -Be 'SecretSet'
        $report.Image | Should -Be "$($local.Host)/team/tiny:1"
    }

    It 'checks an image on a registry without a set anonymously, and the summary says why it failed' {
        Remove-Item env:LOCAL_CONTAINER_REGISTRY_PASSWORD
        $report = Test-RegistryAccess -Image "$($local.Host)/team/tiny:1"
        $report.CredentialSource | Should -Be 'Anonymous'
        $report.SecretSet | Should -BeNullOrEmpty
        $report.Passed | Should -BeFalse
        $report.Summary | Should -Match '^\S+ anonymously: \w+ failed: .+ Fix: .+'
        ($report.Checks | Where-Object Name -eq 'Credentials').Status | Should -Be 'Warning'
    }

    It 'answers every image piped with sets, in order, with the set for its server or anonymously' {
        $images = "$($local.Host)/team/tiny:1", "$closed/team/gone:1", "$($tls.Host)/team/tiny:1", "$($local.Host)/team/tiny:9", "$($local.Host)/team/base:2", "$closed/team/gone:2"
        $reports = Get-RegistrySecretSet | Test-RegistryAccess -Image $images
        $reports.Image | Should -Be $images
        $reports.SecretSet | Should -Be @('LOCAL', '', '', 'LOCAL', 'LOCAL', '')
        $reports.Passed | Should -Be @($true, $false, $false, $false, $true, $false)
    }

    It 'gives one boolean per input in input order with -Quiet, every time' {
        $images = "$($local.Host)/team/tiny:1", "$closed/team/gone:1", "$($local.Host)/team/base:2", "$closed/team/gone:2"
        foreach ($attempt in 1..5) {
            Test-RegistryAccess -Image $images -Quiet -ThrottleLimit 4 | Should -Be @($true, $false, $true, $false)
        }
    }

    It 'checks a repeated image once and answers each reference' {
        $image = "$($local.Host)/team/tiny:1"
        $once = Test-RegistryAccess -Image $image -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'HTTP round trips' }
        $twice = Test-RegistryAccess -Image $image, $image -Verbose 4>&1
        ($twice | Where-Object { $_ -is [CodespaceRegistry.Access.RegistryAccessReport] }).Count | Should -Be 2
        ($twice | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'HTTP round trips' }).Message | Should -Be $once.Message
    }

    It 'passes the README pipeline for a private image whose set is in the environment' {
        $repository = Join-Path $TestDrive 'repo'
        New-Item -ItemType Directory -Force -Path "$repository/.devcontainer" | Out-Null
        Set-Content -LiteralPath "$repository/.devcontainer/devcontainer.json" -Value "{ `"build`": { `"dockerfile`": `"Dockerfile`" }, `"features`": {} }"
        Set-Content -LiteralPath "$repository/.devcontainer/Dockerfile" -Value "FROM $($local.Host)/team/base:2"
        Find-RegistryReference -Path $repository | Test-RegistryAccess -Quiet | Should -Be @($true)
        Get-RegistrySecretSet | Test-RegistryAccess -Image "$($local.Host)/team/tiny:1" -Quiet | Should -Be @($true)
    }

    It 'trusts a private CA in the registry''s certs.d folder, and otherwise names that folder' {
        Set-TestSecretSet TLS $tls.Host
        $untrusted = Test-RegistryAccess -Image "$($tls.Host)/team/tiny:1"
        $untrusted.FirstFailure.Name | Should -Be 'Tls'
        $untrusted.FirstFailure.Remediation | Should -BeLike "*$([IO.Path]::Combine($env:CODESPACE_REGISTRY_CERTS_D, $tls.Host, 'ca.crt'))*"
        $env:CODESPACE_REGISTRY_CERTS_D = $certsD
        try {
            $report = Test-RegistryAccess -Image "$($tls.Host)/team/tiny:1"
            $report.Passed | Should -BeTrue -Because $report.Summary
            $report.SecretSet | Should -Be 'TLS'
        }
        finally { $env:CODESPACE_REGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d' }
    }

    It 'keeps the password out of every stream' {
        $all = Get-RegistrySecretSet | Test-RegistryAccess -Image "$($local.Host)/team/tiny:1", "$closed/x:1" -Verbose *>&1 | Out-String
        $all += Test-RegistryAccess -Image "$($local.Host)/team/tiny:1" | ConvertTo-Json -Depth 5
        $all | Should -Not -Match 'Canary'
    }
}

Describe 'The warm-up Import-Module starts' {
    BeforeAll {
        # A fresh process: the warm-up runs once per process. It says whether its rehearsal ran to the end.
        function Invoke-WarmUp([hashtable] $Environment) {
            $module = Join-Path $PSScriptRoot '../out/CodespaceRegistry'
            $script = "Import-Module '$module'; [void][CodespaceRegistry.Access.ColdStart]::Completion.Wait(60000); [CodespaceRegistry.Access.ColdStart]::Rehearsed"
            $saved = @{}
            foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
            try { Invoke-FreshPwsh $script }
            finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        }
    }

    It 'rehearses a first check in the background' {
        Invoke-WarmUp @{ CODESPACE_REGISTRY_NO_WARM_UP = $null } | Should -Be 'True'
    }

    It 'rehearses TLS too while no command of the user has started' {
        $module = Join-Path $PSScriptRoot '../out/CodespaceRegistry'
        $script = "Import-Module '$module'; `$rehearsal = [CodespaceRegistry.Access.ColdStart+Rehearsal]::Create(); try { " +
            "`$rehearse = (Get-Module CodespaceRegistry).ImplementingAssembly.GetType('CodespaceRegistry.ModuleInitializer').GetMethod('Rehearse', [Reflection.BindingFlags]'NonPublic, Static'); " +
            "`$rehearse.Invoke(`$null, @(`$rehearsal)) | Where-Object Passed | ForEach-Object SecretSet } finally { `$rehearsal.Dispose() }"
        Invoke-FreshPwsh $script | Should -Be 'WARM', 'TOKEN', 'SECURE'
    }

    It 'stops when a command right after the import runs as many checks at once as there are cores' {
        $module = Join-Path $PSScriptRoot '../out/CodespaceRegistry'
        $closed = "127.0.0.1:$(Get-ClosedPort)"
        $images = (1..[Environment]::ProcessorCount | ForEach-Object { "'$closed/team/app:$_'" }) -join ','
        $script = "Import-Module '$module'; `$null = Test-RegistryAccess -Image $images -ThrottleLimit 64 3>&1; " +
            "[void][CodespaceRegistry.Access.ColdStart]::Completion.Wait(60000); [CodespaceRegistry.Access.ColdStart]::Rehearsed"
        Invoke-FreshPwsh $script | Should -Be 'False'
    }

    It 'does not start when CODESPACE_REGISTRY_NO_WARM_UP is set' {
        Invoke-WarmUp @{ CODESPACE_REGISTRY_NO_WARM_UP = '1' } | Should -Be 'False'
    }
}
