using CodespaceRegistry.DockerConfig;

namespace CodespaceRegistry.Commands
{
    /// <summary>The -Target and -ConfigPath parameters' meaning, in one place for every cmdlet that takes them.</summary>
    internal static class CredentialFiles
    {
        public const string DockerConfig = "DockerConfig";
        public const string ContainersAuth = "ContainersAuth";

        public static CredentialStore Open(string target, string? configPath) =>
            new CredentialStore(target == ContainersAuth ? DockerConfigLocation.ForContainers(configPath) : DockerConfigLocation.ForDocker(configPath));
    }
}
