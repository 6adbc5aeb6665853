using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// Stores, reads and erases registry credentials the way docker (or the containers tools) will find them: through
    /// the helper the file's <c>credHelpers</c> or <c>credsStore</c> names, else in its <c>auths</c>. Every write
    /// keeps the file's other fields and entries, happens under a cross-process lock, and replaces the file
    /// atomically; a file that does not parse is reported and left byte for byte as it was.
    /// </summary>
    public sealed class CredentialStore
    {
        /// <summary>The user name docker and the helper protocol give an identity (OAuth refresh) token.</summary>
        public const string IdentityTokenUserName = "<token>";

        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

        private readonly TimeSpan _lockTimeout;

        /// <param name="location">The credential file, such as <see cref="DockerConfigLocation.ForDocker(string?)"/>.</param>
        /// <param name="helpers">Runs credential helpers; one searching this process's PATH when null.</param>
        /// <param name="lockTimeout">How long a write waits for another writer; <see cref="DefaultLockTimeout"/> when null.</param>
        public CredentialStore(DockerConfigLocation location, CredentialHelperClient? helpers = null, TimeSpan? lockTimeout = null)
        {
            Location = location ?? throw new ArgumentNullException(nameof(location));
            Helpers = helpers ?? new CredentialHelperClient();
            _lockTimeout = lockTimeout ?? DefaultLockTimeout;
        }

        public DockerConfigLocation Location { get; }

        public CredentialHelperClient Helpers { get; }

        /// <summary>
        /// Stores the credential where the tool will look for it: with the server's helper (and docker's empty
        /// <c>auths</c> marker, which also drops an old credential there), else as the file's <c>auths</c> entry.
        /// </summary>
        /// <exception cref="RegistryException">The file does not parse or cannot be written, or the helper fails.</exception>
        public async Task<CredentialLocation> StoreAsync(RegistryServer server, RegistryCredential credential, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var key = ConfigKeys.For(server, Location.Format);
            var (source, helper) = SourceFor(DockerConfigFile.Read(Location), key);

            if (helper != null)
            {
                await Helpers.StoreAsync(helper, key, credential, cancellationToken).ConfigureAwait(false);
                await UpdateAsync(config =>
                {
                    foreach (var k in config.AuthKeysFor(server)) config.ClearCredential(k);
                    config.ClearCredential(key);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
                return new CredentialLocation(Location.Path, key, source, helper, Array.Empty<DockerConfigWarning>());
            }

            await UpdateAsync(config =>
            {
                config.SetCredential(key, credential);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return new CredentialLocation(Location.Path, key, CredentialSource.ConfigFile, null, new[] { PlainText(key) });
        }

        /// <summary>
        /// The credential the tool would use for the server: the helper's when one serves it (an <c>auths</c> entry is
        /// then ignored, as docker ignores it), else the <c>auths</c> entry's; null when there is none. An identity
        /// token comes back with user <see cref="IdentityTokenUserName"/>.
        /// </summary>
        public async Task<RegistryCredential?> GetAsync(RegistryServer server, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            var config = DockerConfigFile.Read(Location);
            var key = ConfigKeys.For(server, Location.Format);
            var (_, helper) = SourceFor(config, key);
            if (helper != null) return await Helpers.GetAsync(helper, key, cancellationToken).ConfigureAwait(false);
            var keys = config.AuthKeysFor(server);
            return keys.Count == 0 ? null : config.ReadCredential(keys[0]);
        }

        /// <summary>
        /// Logs out: erases the helper's credential (when a helper serves the server) and every <c>auths</c> entry the
        /// tool would read for it. True when anything was removed.
        /// </summary>
        public async Task<bool> EraseAsync(RegistryServer server, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            var config = DockerConfigFile.Read(Location);
            var key = ConfigKeys.For(server, Location.Format);
            var (_, helper) = SourceFor(config, key);
            var erased = helper != null && await Helpers.EraseAsync(helper, key, cancellationToken).ConfigureAwait(false);
            if (config.AuthKeysFor(server).Count == 0) return erased;

            var removed = await UpdateAsync(c => c.AuthKeysFor(server).Aggregate(false, (any, k) => c.RemoveEntry(k) | any), cancellationToken)
                .ConfigureAwait(false);
            return erased || removed;
        }

        /// <summary>
        /// Sends the server to a helper: sets <c>credHelpers[&lt;key&gt;] = helperName</c> and removes the server's
        /// <c>auths</c> entries so that no old credential lingers beside it; everything else is kept.
        /// </summary>
        public async Task<CredentialLocation> RegisterHelperAsync(RegistryServer server, string helperName, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (string.IsNullOrWhiteSpace(helperName) || helperName.IndexOfAny(new[] { '/', '\\', ' ', '\t' }) >= 0 ||
                helperName.StartsWith(CredentialHelperClient.ProgramPrefix, StringComparison.Ordinal))
            {
                throw new RegistryException("InvalidCredentialHelperName", ErrorKind.InvalidArgument,
                    $"'{helperName}' is not a credential helper name. Give the part after {CredentialHelperClient.ProgramPrefix}, such as 'codespaces' or 'ecr-login'.");
            }
            var key = ConfigKeys.For(server, Location.Format);
            await UpdateAsync(config =>
            {
                config.SetHelper(key, helperName);
                foreach (var k in config.AuthKeysFor(server)) config.RemoveEntry(k);
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var warnings = Helpers.FindHelper(helperName) == null
                ? new[] { NotInstalled(helperName, key) }
                : Array.Empty<DockerConfigWarning>();
            return new CredentialLocation(Location.Path, key, CredentialSource.CredentialHelper, helperName, warnings);
        }

        /// <summary>Says which source serves the server and what in the file works against it. Runs no helper.</summary>
        /// <exception cref="RegistryException"><c>DockerConfigUnreadable</c> when the file does not parse.</exception>
        public Task<CredentialSourceDescription> DescribeAsync(RegistryServer server, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            cancellationToken.ThrowIfCancellationRequested();
            var config = DockerConfigFile.Read(Location);
            var key = ConfigKeys.For(server, Location.Format);
            var (source, helper) = SourceFor(config, key);
            var authsKeys = config.AuthKeysFor(server);
            var warnings = new List<DockerConfigWarning>();
            var description = new CredentialSourceDescription
            {
                ConfigPath = Location.Path,
                ConfigExists = config.Exists,
                Format = Location.Format,
                ConfigKey = key,
                HelperName = helper,
                HelperPath = helper == null ? null : Helpers.FindHelper(helper),
                AuthsKey = authsKeys.FirstOrDefault(),
            };
            description.AuthsEntryHasCredential = description.AuthsKey != null && config.HasCredential(description.AuthsKey);

            if (helper != null)
            {
                if (description.HelperPath == null) warnings.Add(NotInstalled(helper, key));
                description.AuthsEntryShadowed = authsKeys.Any(config.HasCredential);
                foreach (var stale in authsKeys.Where(config.HasCredential))
                {
                    warnings.Add(new DockerConfigWarning(DockerConfigWarning.StaleAuthsEntry,
                        $"The \"auths\" entry \"{stale}\" in the {DockerConfigFile.Describe(Location)} still holds a credential, but " +
                        $"{CredentialHelperClient.ProgramPrefix}{helper} serves {key}. The tool uses the helper; anything that reads only " +
                        "\"auths\" (and anyone who can read the file) gets the old credential. Log in again or log out to clear it."));
                }
            }
            else
            {
                source = description.AuthsEntryHasCredential ? CredentialSource.ConfigFile : CredentialSource.None;
                if (source == CredentialSource.ConfigFile) warnings.Add(PlainText(description.AuthsKey!));
                else if (description.AuthsKey != null)
                {
                    warnings.Add(new DockerConfigWarning(DockerConfigWarning.EmptyAuthsEntry,
                        $"The \"auths\" entry \"{description.AuthsKey}\" in the {DockerConfigFile.Describe(Location)} is empty, as a credential " +
                        $"helper leaves it, but no helper serves {key} now, so it is reached without credentials. Log in again."));
                }
            }
            description.Source = source;

            if (authsKeys.Count > 1)
            {
                warnings.Add(new DockerConfigWarning(DockerConfigWarning.DuplicateAuthsEntries,
                    $"The {DockerConfigFile.Describe(Location)} has {authsKeys.Count} \"auths\" entries for {key} ({string.Join(", ", authsKeys)}); " +
                    $"only \"{authsKeys[0]}\" is used. Delete the others."));
            }

            foreach (var ignored in config.AuthKeys.Where(k => ConfigKeys.IsIgnoredAlias(k, server, Location.Format)))
            {
                warnings.Add(new DockerConfigWarning(DockerConfigWarning.AuthsKeyIgnored,
                    $"The \"auths\" entry \"{ignored}\" in the {DockerConfigFile.Describe(Location)} names {server.Host}, but the tool " +
                    $"looks for \"{key}\" and never reads it. Log in again with that server, then delete \"{ignored}\"."));
            }

            description.IgnoredHelperKey = config.CredHelpers.Select(p => p.Key).FirstOrDefault(k => k != key && server.MatchesConfigKey(k));
            if (description.IgnoredHelperKey != null)
            {
                var instead = source == CredentialSource.None ? "nothing" : source.ToString();
                warnings.Add(new DockerConfigWarning(DockerConfigWarning.CredHelpersKeyIgnored,
                    $"The \"credHelpers\" entry \"{description.IgnoredHelperKey}\" in the {DockerConfigFile.Describe(Location)} names {server.Host}, " +
                    $"but the tool matches \"{key}\" exactly, so that helper is not used and {instead} serves {key}. Rename the key to \"{key}\"."));
            }

            description.Warnings = warnings;
            return Task.FromResult(description);
        }

        // docker's getConfiguredCredentialStore: the credHelpers entry for the exact key (an empty one means the file
        // itself), else credsStore.
        private static (CredentialSource Source, string? Helper) SourceFor(DockerConfigFile config, string key)
        {
            foreach (var helper in config.CredHelpers)
            {
                if (helper.Key != key) continue;
                return helper.Value.Length > 0 ? (CredentialSource.CredentialHelper, helper.Value) : (CredentialSource.ConfigFile, null);
            }
            return config.CredsStore is string store
                ? (CredentialSource.CredentialsStore, store)
                : (CredentialSource.ConfigFile, null);
        }

        private Task<bool> UpdateAsync(Func<DockerConfigFile, bool> change, CancellationToken cancellationToken) =>
            ConfigFileUpdate.UpdateAsync(Location, _lockTimeout, change, cancellationToken);

        private DockerConfigWarning PlainText(string key) =>
            new DockerConfigWarning(DockerConfigWarning.PlainTextCredential,
                $"The credential for {key} is stored unencrypted (base64) in the {DockerConfigFile.Describe(Location)}. " +
                "Configure a credential helper (credsStore or credHelpers) to keep it out of the file.");

        private DockerConfigWarning NotInstalled(string helper, string key) =>
            new DockerConfigWarning(DockerConfigWarning.CredentialHelperNotInstalled,
                $"The {DockerConfigFile.Describe(Location)} sends {key} to {CredentialHelperClient.ProgramPrefix}{helper}, which is not on PATH, " +
                "so logins and pulls for it fail. Install the helper, or remove it from credsStore/credHelpers.");
    }
}
