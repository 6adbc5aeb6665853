using System;
using System.IO;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// Where a credential file lives and in which format. Resolved as the tools resolve it, from an injected
    /// environment and home directory so that tests use temp directories.
    /// </summary>
    public sealed class DockerConfigLocation
    {
        public DockerConfigLocation(string path, CredentialFileFormat format)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A credential file needs a path.", nameof(path));
            Path = System.IO.Path.GetFullPath(path);
            Format = format;
        }

        public string Path { get; }

        public CredentialFileFormat Format { get; }

        /// <summary>
        /// docker's config.json: <paramref name="explicitPath"/> (a file, or a directory holding config.json as for
        /// <c>docker --config</c>), else <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.
        /// </summary>
        public static DockerConfigLocation ForDocker(string? explicitPath, Func<string, string?> environment, string homeDirectory)
        {
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                var path = Directory.Exists(explicitPath) ? System.IO.Path.Combine(explicitPath, "config.json") : explicitPath!;
                return new DockerConfigLocation(path, CredentialFileFormat.Docker);
            }
            var directory = NonEmpty(environment("DOCKER_CONFIG")) ?? System.IO.Path.Combine(homeDirectory, ".docker");
            return new DockerConfigLocation(System.IO.Path.Combine(directory, "config.json"), CredentialFileFormat.Docker);
        }

        /// <summary>
        /// The containers tools' read/write auth.json (containers-auth.json(5), skopeo-login(1)):
        /// <paramref name="explicitPath"/>, else <c>$REGISTRY_AUTH_FILE</c>, else <c>$XDG_RUNTIME_DIR/containers/auth.json</c>,
        /// else <c>${XDG_CONFIG_HOME:-~/.config}/containers/auth.json</c> (the primary file on Windows and macOS).
        /// </summary>
        public static DockerConfigLocation ForContainers(string? explicitPath, Func<string, string?> environment, string homeDirectory)
        {
            var path = NonEmpty(explicitPath) ?? NonEmpty(environment("REGISTRY_AUTH_FILE"));
            if (path == null)
            {
                var directory = NonEmpty(environment("XDG_RUNTIME_DIR"))
                    ?? NonEmpty(environment("XDG_CONFIG_HOME"))
                    ?? System.IO.Path.Combine(homeDirectory, ".config");
                path = System.IO.Path.Combine(directory, "containers", "auth.json");
            }
            return new DockerConfigLocation(path, CredentialFileFormat.Containers);
        }

        /// <summary><see cref="ForDocker(string?, Func{string, string?}, string)"/> with this process's environment and home.</summary>
        public static DockerConfigLocation ForDocker(string? explicitPath = null) =>
            ForDocker(explicitPath, Environment.GetEnvironmentVariable, UserHome());

        /// <summary><see cref="ForContainers(string?, Func{string, string?}, string)"/> with this process's environment and home.</summary>
        public static DockerConfigLocation ForContainers(string? explicitPath = null) =>
            ForContainers(explicitPath, Environment.GetEnvironmentVariable, UserHome());

        // $HOME on Unix, %USERPROFILE% on Windows: where docker (Go's os.UserHomeDir) looks.
        private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

        public override string ToString() => Path;
    }
}
