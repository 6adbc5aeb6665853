using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Ecr
{
    /// <summary>Where an ECR login credential came from.</summary>
    public enum EcrCredentialSource
    {
        /// <summary>Mode 2: the set's PASSWORD is the token, used as given.</summary>
        SecretSet,

        /// <summary>Mode 1: a token fetched from ECR just now.</summary>
        Swapped,

        /// <summary>Mode 1: a token fetched earlier, still in the first half of its life.</summary>
        Cache,
    }

    /// <summary>The docker login an ECR registry takes: user <c>AWS</c>, a token, and when the token expires.</summary>
    public sealed class EcrCredential
    {
        public EcrCredential(RegistryServer server, RegistryCredential credential, DateTimeOffset? expiresAt, EcrCredentialSource source)
        {
            Server = server;
            Credential = credential;
            ExpiresAt = expiresAt;
            Source = source;
        }

        public RegistryServer Server { get; }

        /// <summary>User <c>AWS</c> and the token's password.</summary>
        public RegistryCredential Credential { get; }

        /// <summary>When the token expires; null only for a mode-2 token whose payload cannot be read.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        public EcrCredentialSource Source { get; }

        public override string ToString() => $"AWS @ {Server.Host} ({Source}, expires {ExpiresAt:u})";
    }

    /// <summary>
    /// The ECR credential swap the Codespaces docs describe: an access key id and secret key (mode 1) become an
    /// ECR authorization token from GetAuthorizationToken in the registry's region, served from
    /// <see cref="EcrTokenCache"/> while fresh; a token (mode 2) is used as given, its expiry read offline.
    /// </summary>
    public sealed class EcrCredentialSwap
    {
        /// <summary>The user name every ECR token logs in with.</summary>
        public const string EcrUserName = "AWS";

        private readonly Func<IEcrApi> _api;
        private readonly EcrTokenCache? _cache;
        private readonly TimeProvider _clock;
        private readonly IReadOnlyDictionary<string, string?> _environment;

        /// <param name="api">Creates the AWS API on first use (so that the AWS SDK loads only when a swap is needed).</param>
        /// <param name="cache">Token cache, or null to always ask ECR.</param>
        public EcrCredentialSwap(Func<IEcrApi> api, EcrTokenCache? cache, TimeProvider clock, IReadOnlyDictionary<string, string?> environment)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
            _cache = cache;
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        }

        /// <summary>The swap a cmdlet uses: the isolated AWS SDK, the per-user cache, the process environment.</summary>
        public static EcrCredentialSwap CreateDefault(TimeProvider clock) =>
            new EcrCredentialSwap(AwsAssemblies.LoadEcrApi, EcrTokenCache.Default(), clock, ProcessEnvironment.Snapshot());

        /// <summary>Overrides the ECR endpoint (before <c>AWS_ENDPOINT_URL_ECR</c>), such as a VPC endpoint.</summary>
        public Uri? EcrEndpointUrl { get; set; }

        /// <summary>Overrides the STS endpoint (before <c>AWS_ENDPOINT_URL_STS</c>).</summary>
        public Uri? StsEndpointUrl { get; set; }

        /// <summary>The longest one AWS call (redirects and reading the answer included) may take: <c>AwsEndpointTimeout</c>.</summary>
        public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The login credential of an ECR secret set, by its mode.</summary>
        /// <exception cref="RegistryException">The set is not an ECR set, its token expired, or AWS refused the swap.</exception>
        public Task<EcrCredential> GetCredentialAsync(RegistrySecretSet set, CancellationToken cancellationToken)
        {
            if (set == null) throw new ArgumentNullException(nameof(set));
            if (set.Server == null || set.User == null || set.Password == null)
            {
                throw new ArgumentException("Only a complete set with a readable password can log in; CredentialResolver checks that first.", nameof(set));
            }
            var credential = new RegistryCredential(set.User, set.Password);
            return set.EcrMode switch
            {
                EcrMode.AccessKey => SwapAsync(set.Server, credential, cancellationToken),
                EcrMode.Token => Task.FromResult(FromToken(set.Server, credential, _clock.GetUtcNow())),
                _ => throw new RegistryException("NotAnEcrSecretSet", ErrorKind.InvalidArgument,
                    $"The set {set.Name} is not an ECR set in either mode: USER must be an access key id (AKIA…) or AWS, and SERVER an ECR registry."),
            };
        }

        /// <summary>Mode 2: the token as given, with the expiry its payload states.</summary>
        /// <exception cref="RegistryException">ErrorId <c>EcrTokenExpired</c>.</exception>
        public static EcrCredential FromToken(RegistryServer server, RegistryCredential token, DateTimeOffset now)
        {
            DateTimeOffset? expiresAt = null;
            if (EcrAuthorizationToken.TryReadExpiry(SecureStrings.Reveal(token.Password), out var expiry))
            {
                expiresAt = expiry;
                if (expiry <= now)
                {
                    throw new RegistryException("EcrTokenExpired", ErrorKind.Authentication,
                        $"The ECR token for {server.Host} expired at {expiry:u}; ECR tokens live 12 hours. " +
                        "Store an access key id and secret key in the set instead, so that a fresh token is fetched at every login, or store a new token from 'aws ecr get-login-password'.");
                }
            }
            return new EcrCredential(server, new RegistryCredential(EcrUserName, token.Password), expiresAt, EcrCredentialSource.SecretSet);
        }

        /// <summary>Mode 1: an access key id (user) and secret key (password) exchanged for an ECR token, from the cache while fresh.</summary>
        public async Task<EcrCredential> SwapAsync(RegistryServer server, RegistryCredential accessKey, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (accessKey == null) throw new ArgumentNullException(nameof(accessKey));
            var endpoint = AwsEndpoint.For(AwsService.Ecr, server, _environment, EcrEndpointUrl);
            var keyId = accessKey.UserName.Trim();
            var now = _clock.GetUtcNow();

            var cached = _cache?.TryGetFresh(keyId, endpoint.Region, server.ConfigKey, now);
            if (cached != null)
            {
                return new EcrCredential(server, Decode(cached.AuthorizationToken, server), cached.ExpiresAt, EcrCredentialSource.Cache);
            }

            var key = new AwsAccessKey(keyId, SecureStrings.Reveal(accessKey.Password).Trim());
            var authorization = await CallAsync(endpoint, keyId, token => _api().GetAuthorizationTokenAsync(endpoint, key, now, token), cancellationToken).ConfigureAwait(false);
            var credential = Decode(authorization.AuthorizationToken, server);
            TryStore(keyId, endpoint.Region, server.ConfigKey, new CachedEcrToken(authorization.AuthorizationToken, now, authorization.ExpiresAt));
            return new EcrCredential(server, credential, authorization.ExpiresAt, EcrCredentialSource.Swapped);
        }

        /// <summary>Which account and principal an access key belongs to (STS GetCallerIdentity in the registry's region).</summary>
        public Task<AwsCallerIdentity> GetCallerIdentityAsync(RegistryServer server, RegistryCredential accessKey, CancellationToken cancellationToken)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if (accessKey == null) throw new ArgumentNullException(nameof(accessKey));
            var endpoint = AwsEndpoint.For(AwsService.Sts, server, _environment, StsEndpointUrl);
            var keyId = accessKey.UserName.Trim();
            var key = new AwsAccessKey(keyId, SecureStrings.Reveal(accessKey.Password).Trim());
            return CallAsync(endpoint, keyId, token => _api().GetCallerIdentityAsync(endpoint, key, token), cancellationToken);
        }

        /// <summary>A finding when the key's account is not the registry's: pulls then need a repository policy that grants the principal.</summary>
        public static SecretSetFinding? CheckAccount(RegistryServer server, AwsCallerIdentity identity)
        {
            if (server.AccountId == null || identity.Account == server.AccountId) return null;
            return new SecretSetFinding("EcrAccountMismatch", FindingSeverity.Warning,
                $"The access key belongs to account {identity.Account} ({identity.Arn}) but the registry {server.Host} is in account {server.AccountId}; a token from another account pulls only where a repository policy grants it.",
                $"Use an access key of account {server.AccountId}, or add a repository policy in {server.AccountId} that allows {identity.Arn} ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.");
        }

        /// <summary>Decodes <c>AWS:&lt;password&gt;</c> from an authorization token.</summary>
        /// <exception cref="RegistryException">ErrorId <c>EcrTokenMalformed</c>.</exception>
        public static RegistryCredential Decode(string authorizationToken, RegistryServer server)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorizationToken ?? ""));
            }
            catch (FormatException e)
            {
                throw Malformed(server, e);
            }
            var colon = decoded.IndexOf(':');
            if (colon <= 0 || colon == decoded.Length - 1) throw Malformed(server, null);
            return new RegistryCredential(decoded.Substring(0, colon), SecureStrings.ToSecureString(decoded.Substring(colon + 1)));
        }

        private static RegistryException Malformed(RegistryServer server, Exception? inner) =>
            new RegistryException("EcrTokenMalformed", ErrorKind.InvalidData,
                $"The authorization token ECR returned for {server.Host} is not base64 of user:password. Check that the ECR endpoint (AWS_ENDPOINT_URL_ECR) is really Amazon ECR.", inner);

        private void TryStore(string keyId, string region, string registry, CachedEcrToken token)
        {
            if (_cache == null) return;
            try
            {
                _cache.Store(keyId, region, registry, token);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is RegistryException)
            {
                // A cache that cannot be written costs one more GetAuthorizationToken next time, nothing else.
            }
        }

        /// <summary>Runs one AWS call under <see cref="CallTimeout"/> and turns every failure into a classified error.</summary>
        private async Task<T> CallAsync<T>(AwsEndpoint endpoint, string keyId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(CallTimeout);
            try
            {
                return await call(deadline.Token).ConfigureAwait(false);
            }
            catch (AwsApiException e)
            {
                throw AwsErrors.ToRegistryException(e, endpoint, keyId);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException("AwsEndpointUnreachable", ErrorKind.Connection,
                    $"Could not reach {endpoint.Url} ({endpoint.Service}): {e.Message} Check the network and proxy settings, and {AwsEndpoint.OverrideVariable(endpoint.Service)} if it is set.", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RegistryException("AwsEndpointTimeout", ErrorKind.Timeout,
                    $"{endpoint.Url} ({endpoint.Service}) did not answer within {CallTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s. Check the network and proxy settings.", e);
            }
        }
    }
}
