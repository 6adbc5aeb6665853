using System;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// The login a codespace performs: the registry verifies the credentials first, and only credentials it accepted
    /// are stored (where docker, or the containers tools, will look for them). A failed verification stores nothing
    /// and leaves the credential file untouched.
    /// </summary>
    public sealed class RegistryLogin
    {
        /// <summary>The credHelpers suffix of docker-credential-codespaces.</summary>
        public const string CredentialHelperName = "codespaces";

        private readonly RegistryClient _client;
        private readonly CredentialStore _store;
        private readonly CredentialResolver _credentials;

        public RegistryLogin(RegistryClient client, CredentialStore store, CredentialResolver? credentials = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _credentials = credentials ?? new CredentialResolver();
        }

        /// <param name="verify">False stores without asking the registry (<c>-SkipVerification</c>).</param>
        /// <exception cref="RegistryException">The registry refused the credentials (nothing stored), or the store failed.</exception>
        public async Task<RegistryLoginResult> LoginAsync(RegistryServer server, RegistryCredential credential, bool verify, CancellationToken cancellationToken, string? secretSetName = null)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var verified = verify ? await VerifyAsync(server, credential, cancellationToken).ConfigureAwait(false) : null;
            var location = await _store.StoreAsync(server, credential, cancellationToken).ConfigureAwait(false);
            return new RegistryLoginResult(server, credential.UserName, verified?.Scheme, location, secretSetName) { FellBackToPlainHttp = verified?.Ping.FellBackToPlainHttp == true };
        }

        /// <summary>
        /// The login of a secret set: its credential (for ECR the token as given, or swapped for the access key), verified,
        /// then stored — or, with <paramref name="useCredentialHelper"/>, docker-credential-codespaces named for the server
        /// in credHelpers instead, so that no password is written and ECR tokens are fetched afresh when they run out (unverified,
        /// an access key is then not swapped at all: the helper swaps it when a client asks).
        /// </summary>
        /// <exception cref="RegistryException">The set cannot log in, AWS refused the swap, or the registry refused the credential (nothing stored).</exception>
        public async Task<RegistryLoginResult> LoginAsync(RegistrySecretSet set, bool verify, bool useCredentialHelper, CancellationToken cancellationToken)
        {
            if (set == null) throw new ArgumentNullException(nameof(set));
            if (useCredentialHelper && !verify && set.EcrMode == EcrMode.AccessKey)
            {
                // Nothing to verify and nothing to store: the helper swaps the key when a client asks, so AWS is not called now.
                CredentialResolver.EnsureUsable(set);
                var registered = await _store.RegisterHelperAsync(set.Server!, CredentialHelperName, cancellationToken).ConfigureAwait(false);
                return new RegistryLoginResult(set.Server!, EcrCredentialSwap.EcrUserName, null, registered, set.Name);
            }
            RegistryCredential credential;
            DateTimeOffset? expiresAt = null;
            if (set.EcrMode != EcrMode.None)
            {
                var ecr = await _credentials.ResolveEcrAsync(set, cancellationToken).ConfigureAwait(false);
                credential = ecr.Credential;
                expiresAt = ecr.ExpiresAt;
            }
            else
            {
                credential = await _credentials.ResolveAsync(set, cancellationToken).ConfigureAwait(false);
            }
            var server = set.Server!;
            var verified = verify ? await VerifyAsync(server, credential, cancellationToken).ConfigureAwait(false) : null;
            var location = useCredentialHelper
                ? await _store.RegisterHelperAsync(server, CredentialHelperName, cancellationToken).ConfigureAwait(false)
                : await _store.StoreAsync(server, credential, cancellationToken).ConfigureAwait(false);
            return new RegistryLoginResult(server, credential.UserName, verified?.Scheme, location, set.Name)
            {
                TokenExpiresAt = expiresAt,
                FellBackToPlainHttp = verified?.Ping.FellBackToPlainHttp == true,
            };
        }

        private Task<RegistryAuthentication> VerifyAsync(RegistryServer server, RegistryCredential credential, CancellationToken cancellationToken) =>
            _client.AuthenticateAsync(server, credential, cancellationToken);
    }
}
