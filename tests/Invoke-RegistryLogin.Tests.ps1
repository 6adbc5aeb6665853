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
        { Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $config -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryDnsFailure,CodespaceRegistry.Commands.InvokeRegistryLoginCommand'
        Test-Path $config | Should -BeFalse
        $Error[0].ToString() | Should -Not -Match $canary
    }

    It 'stores unverified credentials with -SkipVerification and returns the result with -PassThru' {
        $result = Invoke-RegistryLogin -Server 'registry.invalid' -Credential $credential -ConfigPath $config -SkipVerification -PassThru -WarningAction SilentlyContinue
        $result.Verified | Should -BeFalse
        $result.ConfigKey | Should -Be 'registry.invalid'
        $result.ConfigPath | Should -Be $config
        (Get-Content $config -Raw | ConvertFrom-Json).auths.'registry.invalid'.auth | Should -Not -BeNullOrEmpty
        $result | Out-String | Should -Not -Match $canary
    }

    It 'refuses an ECR access-key set until the credential swap exists, storing nothing' {
        $env:ECR_CONTAINER_REGISTRY_SERVER = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $env:ECR_CONTAINER_REGISTRY_USER = 'AKIAIOSFODNN7EXAMPLE'
        $env:ECR_CONTAINER_REGISTRY_PASSWORD = $canary
        Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -ConfigPath $config -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'EcrSwapNotAvailable,*'
        $errs[0].Exception.Message | Should -Not -Match $canary
        Test-Path $config | Should -BeFalse
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
