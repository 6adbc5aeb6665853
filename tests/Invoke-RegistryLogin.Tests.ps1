#Requires -Version 7.0
BeforeDiscovery {
    $script:hasRegistry = [bool](Get-Command docker-registry -ErrorAction SilentlyContinue) -and
        [bool](Get-Command htpasswd -ErrorAction SilentlyContinue) -and
        [bool](Get-Command skopeo -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
    $script:canary = 'Canary-pester-5f0c'
}

Describe 'Invoke-RegistryLogin' {
    BeforeAll {
        $script:savedSets = Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*'
    }

    AfterAll {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $script:savedSets | ForEach-Object { Set-Item "env:$($_.Name)" $_.Value }
    }

    BeforeEach {
        Get-ChildItem env: | Where-Object Name -like '*_CONTAINER_REGISTRY_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
        $config = Join-Path $TestDrive "config-$([guid]::NewGuid().ToString('N')).json"
        $credential = [pscredential]::new('octocat', (ConvertTo-SecureString $canary -AsPlainText -Force))
    }

    It 'stores nothing under -WhatIf' {
        Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $config -WhatIf
        Test-Path $config | Should -BeFalse
    }

    It 'stores nothing when the registry cannot be reached, and says why without the password' {
        $err = { Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $config -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryDnsFailure,CodespaceRegistry.Commands.InvokeRegistryLoginCommand' -PassThru
        Test-Path $config | Should -BeFalse
        $err.Exception.Message | Should -Not -Match $canary
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'stores unverified credentials with -SkipVerification and returns the result with -PassThru' {
        $result = Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $config -SkipVerification -PassThru -WarningAction SilentlyContinue
        $result.Verified | Should -BeFalse
        $result.ConfigKey | Should -Be 'registry.invalid'
        $result.ConfigPath | Should -Be $config
        (Get-Content $config -Raw | ConvertFrom-Json).auths.'registry.invalid'.auth | Should -Not -BeNullOrEmpty
        $result | Out-String | Should -Not -Match $canary
    }

    It 'resolves a relative -ConfigPath against the current location, as PowerShell paths are' {
        $name = "relative-$([guid]::NewGuid().ToString('N')).json"
        Push-Location $TestDrive
        try {
            $result = Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $name -SkipVerification -PassThru -WarningAction SilentlyContinue
        }
        finally { Pop-Location }
        $result.ConfigPath | Should -Be (Join-Path $TestDrive $name)
        Test-Path (Join-Path $TestDrive $name) | Should -BeTrue
    }

    It 'swaps an ECR access key at the ECR endpoint and stores nothing when it cannot be reached' {
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AKIAIOSFODNN7EXAMPLE'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $canary
        Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -EcrEndpointUrl 'http://127.0.0.1:1/' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AwsEndpointUnreachable,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $errs[0].Exception.Message | Should -Not -Match $canary
        Test-Path $config | Should -BeFalse
    }

    It 'refuses an expired ECR token offline, storing nothing' {
        $expired = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((@{ payload = 'x'; expiration = [DateTimeOffset]::UtcNow.AddHours(-1).ToUnixTimeSeconds() } | ConvertTo-Json -Compress)))
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AWS'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $expired
        Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'EcrTokenExpired,*'
        Test-Path $config | Should -BeFalse
    }

    It 'names docker-credential-codespaces in credHelpers with -UseCredentialHelper, writing no password, and reports the token expiry' {
        $expires = [DateTimeOffset]::UtcNow.AddHours(6)
        $token = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((@{ payload = $canary; expiration = $expires.ToUnixTimeSeconds() } | ConvertTo-Json -Compress)))
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AWS'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $token
        $result = Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -UseCredentialHelper -SkipVerification -PassThru -WarningAction SilentlyContinue
        $result.Source | Should -Be 'CredentialHelper'
        $result.HelperName | Should -Be 'codespaces'
        $result.TokenExpiresAt.ToUnixTimeSeconds() | Should -Be $expires.ToUnixTimeSeconds()
        $written = Get-Content $config -Raw
        ($written | ConvertFrom-Json).credHelpers.'123456789012.dkr.ecr.eu-west-1.amazonaws.com' | Should -Be 'codespaces'
        $written | Should -Not -Match ([regex]::Escape($token))
    }

    It 'asks AWS nothing for an access-key set with -UseCredentialHelper -SkipVerification: the helper swaps it later' {
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AKIAIOSFODNN7EXAMPLE'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $canary
        # Nothing listens on port 1: a swap would fail the login.
        $result = Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -UseCredentialHelper -SkipVerification -EcrEndpointUrl 'http://127.0.0.1:1/' -PassThru -Verbose -WarningAction SilentlyContinue 4>&1
        $login = $result | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $login.Source | Should -Be 'CredentialHelper'
        $login.User | Should -Be 'AWS'
        $login.TokenExpiresAt | Should -BeNullOrEmpty
        ($result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Not -Match 'Swapping'
        ((Get-Content $config -Raw) | ConvertFrom-Json).credHelpers.'123456789012.dkr.ecr.eu-west-1.amazonaws.com' | Should -Be 'codespaces'
    }

    It 'ships docker-credential-codespaces in the module folder' {
        $module = Split-Path (Get-Module CodespaceRegistry).Path
        $name = if ($IsWindows) { 'docker-credential-codespaces.exe' } else { 'docker-credential-codespaces' }
        Test-Path (Join-Path $module $name) | Should -BeTrue
        Test-Path (Join-Path $module 'dependencies/aws/CodespaceRegistry.Aws.dll') | Should -BeTrue
    }

    It 'keeps the AWS SDK of the swap in its own load context' {
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AKIAIOSFODNN7EXAMPLE'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $canary
        Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -EcrEndpointUrl 'http://127.0.0.1:1/' -ErrorAction SilentlyContinue
        [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name | Should -Not -Contain 'AWSSDK.Core'
        $aws = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'CodespaceRegistry.Aws'
        $aws.Assemblies.GetName().Name | Should -Contain 'AWSSDK.Core'
    }

    Context 'against a local docker-registry' -Skip:(-not $hasRegistry) {
        BeforeAll {
            $dir = Join-Path $TestDrive 'registry'
            New-Item -ItemType Directory $dir | Out-Null
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            htpasswd -Bbn alice $canary | Set-Content (Join-Path $dir 'htpasswd')
            @"
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
http:
  addr: 127.0.0.1:$port
  secret: pester-secret
auth:
  htpasswd:
    realm: pester
    path: $dir/htpasswd
"@ | Set-Content (Join-Path $dir 'config.yml')
            $registry = Start-Process docker-registry -ArgumentList 'serve', (Join-Path $dir 'config.yml') -PassThru -RedirectStandardError (Join-Path $dir 'log.txt')
            $ready = $false
            foreach ($attempt in 1..200) {
                try { Invoke-WebRequest "http://127.0.0.1:$port/v2/" -SkipHttpErrorCheck | Out-Null; $ready = $true; break } catch { Start-Sleep -Milliseconds 25 }
            }
            $ready | Should -BeTrue
            $server = "127.0.0.1:$port"
        }

        AfterAll {
            if ($registry) { Stop-Process -Id $registry.Id -ErrorAction SilentlyContinue }
        }

        It 'verifies, then stores credentials the registry accepts' {
            $good = [pscredential]::new('alice', (ConvertTo-SecureString $canary -AsPlainText -Force))
            $result = Invoke-RegistryLogin -Server $server -Credential $good -ConfigPath $config -PassThru -WarningAction SilentlyContinue
            $result.Verified | Should -BeTrue
            $result.AuthenticationScheme | Should -Be 'Basic'
            (Get-Content $config -Raw | ConvertFrom-Json).auths.$server.auth | Should -Not -BeNullOrEmpty
            (Test-RegistryAccess -Server $server -Credential $good -ConfigPath $config).Passed | Should -BeTrue
        }

        It 'stores nothing and leaves the file byte for byte when the password is wrong' {
            Set-Content $config '{"auths":{}}' -NoNewline
            $before = Get-FileHash $config
            { Invoke-RegistryLogin -Server $server -Credential $credential -ConfigPath $config -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegistryLoginUnauthorized,CodespaceRegistry.Commands.InvokeRegistryLoginCommand'
            (Get-FileHash $config).Hash | Should -Be $before.Hash
        }
    }
}
