using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// The secret sets that name one registry server, matched as docker matches <c>config.json</c> keys (by
    /// <see cref="RegistryServer.ConfigKey"/>, so Docker Hub's aliases are one registry), and the one a codespace logs
    /// in with. The one place that decides which set covers a server.
    /// </summary>
    public sealed class SecretSetMatch
    {
        private SecretSetMatch(RegistryServer server, IReadOnlyList<RegistrySecretSet> complete, IReadOnlyList<RegistrySecretSet> incomplete)
        {
            Server = server;
            Complete = complete;
            Incomplete = incomplete;
        }

        public RegistryServer Server { get; }

        /// <summary>The complete sets naming the server, in name order: a codespace logs in with each.</summary>
        public IReadOnlyList<RegistrySecretSet> Complete { get; }

        /// <summary>The sets naming the server that lack a secret: a codespace does not log in with them.</summary>
        public IReadOnlyList<RegistrySecretSet> Incomplete { get; }

        /// <summary>
        /// The set whose login a pull uses: the last complete one in name order, as logins in that order leave it (each
        /// overwrites the server's one credential, in docker's config as with Invoke-RegistryLogin); null when none.
        /// </summary>
        public RegistrySecretSet? Winner => Complete.Count == 0 ? null : Complete[Complete.Count - 1];

        /// <summary>Complete sets that also name the server but whose login is overwritten by <see cref="Winner"/>.</summary>
        public IReadOnlyList<RegistrySecretSet> Shadowed => Complete.Take(Math.Max(0, Complete.Count - 1)).ToList();

        public static SecretSetMatch For(IEnumerable<RegistrySecretSet> sets, RegistryServer server)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            var naming = (sets ?? Enumerable.Empty<RegistrySecretSet>())
                .Where(s => s.Server != null && s.Server.Equals(server))
                .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return new SecretSetMatch(server, naming.Where(s => s.IsComplete).ToList(), naming.Where(s => !s.IsComplete).ToList());
        }
    }
}
