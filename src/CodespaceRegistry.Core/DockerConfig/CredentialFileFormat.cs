namespace CodespaceRegistry.DockerConfig
{
    /// <summary>Which tools' credential file a <see cref="DockerConfigLocation"/> names; the two key servers differently.</summary>
    public enum CredentialFileFormat
    {
        /// <summary>docker's config.json: Docker Hub is <c>https://index.docker.io/v1/</c>, others <c>host[:port]</c>; honours credsStore and credHelpers.</summary>
        Docker = 0,

        /// <summary>containers-auth.json(5) (podman, skopeo, buildah): Docker Hub is <c>docker.io</c>; honours credHelpers, not credsStore.</summary>
        Containers,
    }
}
