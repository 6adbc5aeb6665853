using System;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// The login a codespace performs: the registry verifies the credentials first, and only credentials it accepted
    /// are stored (where docker, or the containers tools, will look for them). A failed verification stores nothing
    /// and leaves the credential file untouched.
    /// </summary>
    public sealed class RegistryLogin
    {
        private readonly RegistryClient _client;
        private readonly CredentialStore _store;

        public RegistryLogin(RegistryClient client, CredentialStore store)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _store = store ?? throw new ArgumentNullException(nameof(store));
        }

        /// <param name="verify">False stores without asking the registry (<c>-SkipVerification</c>).</param>
        /// <exception cref="RegistryException">The registry refused the credentials (nothing stored), or the store failed.</exception>
        public async Task<RegistryLoginResult> LoginAsync(RegistryServer server, RegistryCredential credential, bool verify, CancellationToken cancellationToken, string? secretSetName = null)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            string? scheme = null;
            if (verify) scheme = (await _client.AuthenticateAsync(server, credential, cancellationToken).ConfigureAwait(false)).Scheme;
            var location = await _store.StoreAsync(server, credential, cancellationToken).ConfigureAwait(false);
            return new RegistryLoginResult(server, credential.UserName, scheme, location, secretSetName);
        }
    }
}
