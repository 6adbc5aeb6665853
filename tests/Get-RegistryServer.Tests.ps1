#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force
}

Describe 'Get-RegistryServer' {
    It 'classifies <Server> as <Kind>' -ForEach @(
        @{ Server = 'ghcr.io'; Kind = 'GitHubContainerRegistry'; ConfigKey = 'ghcr.io' }
        @{ Server = 'docker.io'; Kind = 'DockerHub'; ConfigKey = 'https://index.docker.io/v1/' }
        @{ Server = 'https://index.docker.io/v1/'; Kind = 'DockerHub'; ConfigKey = 'https://index.docker.io/v1/' }
        @{ Server = 'myreg.azurecr.io'; Kind = 'AzureContainerRegistry'; ConfigKey = 'myreg.azurecr.io' }
        @{ Server = 'public.ecr.aws'; Kind = 'AmazonEcrPublic'; ConfigKey = 'public.ecr.aws' }
        @{ Server = 'eu.gcr.io'; Kind = 'GoogleContainerRegistry'; ConfigKey = 'eu.gcr.io' }
        @{ Server = 'europe-west1-docker.pkg.dev'; Kind = 'GoogleArtifactRegistry'; ConfigKey = 'europe-west1-docker.pkg.dev' }
        @{ Server = 'localhost:5000'; Kind = 'Other'; ConfigKey = 'localhost:5000' }
    ) {
        $result = Get-RegistryServer -Server $Server
        $result.Kind | Should -Be $Kind
        $result.ConfigKey | Should -Be $ConfigKey
    }

    It 'extracts the account and region of an ECR registry' {
        $result = Get-RegistryServer ' HTTPS://123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/ '
        $result.Kind | Should -Be 'AmazonEcr'
        $result.AccountId | Should -Be '123456789012'
        $result.Region | Should -Be 'us-gov-west-1'
        $result.IsFips | Should -BeTrue
        $result.Host | Should -Be '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com'
    }

    It 'takes servers from the pipeline' {
        $hosts = 'ghcr.io', 'quay.io' | Get-RegistryServer | ForEach-Object Host
        $hosts | Should -Be @('ghcr.io', 'quay.io')
    }

    It 'names the registry of an image reference' {
        (Get-RegistryServer -Image 'ubuntu:22.04').Kind | Should -Be 'DockerHub'
        (Get-RegistryServer -Image 'mcr.microsoft.com/devcontainers/base:ubuntu').Host | Should -Be 'mcr.microsoft.com'
    }

    It 'writes a non-terminating InvalidRegistryServer error and goes on' {
        $result = Get-RegistryServer -Server 'ftp://x', 'ghcr.io' -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Host | Should -Be 'ghcr.io'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRegistryServer,*'
        { Get-RegistryServer -Server 'ftp://x' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRegistryServer,CodespaceRegistry.Commands.GetRegistryServerCommand'
    }
}
