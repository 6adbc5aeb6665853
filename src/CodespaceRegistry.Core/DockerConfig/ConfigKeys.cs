using System;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>How each credential file keys a server, and which of a file's keys a tool would use for it.</summary>
    internal static class ConfigKeys
    {
        /// <summary>
        /// The key a login writes (and the ServerURL a credential helper is given): docker's
        /// <see cref="RegistryServer.ConfigKey"/>, or the containers tools' host (<c>docker.io</c> for Docker Hub).
        /// </summary>
        public static string For(RegistryServer server, CredentialFileFormat format) =>
            format == CredentialFileFormat.Docker ? server.ConfigKey : server.Host;

        /// <summary>
        /// True when the tool would read an <c>auths</c> key for the server. docker (configfile's file store) uses the
        /// exact key, else a key whose host (scheme and path stripped) equals the server's, except for Docker Hub, which
        /// only its exact key serves. containers/image also strips a scheme-prefixed key's path, reads index.docker.io
        /// as docker.io, and treats a plain <c>host/path</c> key as a namespace, not the whole registry.
        /// </summary>
        public static bool Matches(string key, RegistryServer server, CredentialFileFormat format)
        {
            var own = For(server, format);
            if (string.Equals(key, own, StringComparison.OrdinalIgnoreCase)) return true;
            if (format == CredentialFileFormat.Docker)
            {
                return server.Kind != RegistryKind.DockerHub && string.Equals(HostOf(key, cutPath: true), own, StringComparison.OrdinalIgnoreCase);
            }
            var host = HostOf(key, cutPath: false);
            if (string.Equals(host, "index.docker.io", StringComparison.OrdinalIgnoreCase)) host = RegistryServer.DockerHubHost;
            return string.Equals(host, own, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// True when an <c>auths</c> key names the server in some form (an alias, a scheme, a path) that the tool does
        /// not read for it, such as <c>docker.io</c> for Docker Hub in docker's file. A containers namespace key
        /// (<c>quay.io/team</c>) is in use for that namespace, so it is not ignored.
        /// </summary>
        public static bool IsIgnoredAlias(string key, RegistryServer server, CredentialFileFormat format) =>
            !Matches(key, server, format) && server.MatchesConfigKey(key) &&
            !(format == CredentialFileFormat.Containers && key.IndexOf("://", StringComparison.Ordinal) < 0 && key.IndexOf('/') >= 0);

        // docker's credentials.ConvertToHostname; containers/image cuts the path only when a scheme was written.
        private static string HostOf(string key, bool cutPath)
        {
            var stripped = key;
            foreach (var scheme in new[] { "http://", "https://" })
            {
                if (stripped.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) stripped = stripped.Substring(scheme.Length);
            }
            if (cutPath || stripped.Length != key.Length)
            {
                var slash = stripped.IndexOf('/');
                if (slash >= 0) stripped = stripped.Substring(0, slash);
            }
            return stripped;
        }
    }
}
