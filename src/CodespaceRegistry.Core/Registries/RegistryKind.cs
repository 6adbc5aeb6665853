namespace CodespaceRegistry.Registries
{
    /// <summary>The kinds of registry the Codespaces docs name, plus everything else.</summary>
    public enum RegistryKind
    {
        Other = 0,
        DockerHub,
        GitHubContainerRegistry,
        GitHubPackages,
        AzureContainerRegistry,
        AmazonEcr,
        AmazonEcrPublic,
        GoogleContainerRegistry,
        GoogleArtifactRegistry,
    }
}
