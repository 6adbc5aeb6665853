using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// What registry clients share for as long as the session lasts (a PowerShell session: one command after another):
    /// pooled connections, each host's ping (and so the scheme it speaks), bearer tokens per host, scope and credential,
    /// and which names are loopback. Tokens live in memory only, each used by the one credential it was issued to.
    /// Trust is not shared across policies: clients whose options trust differently (insecure hosts, certs.d roots, an
    /// extra root) get connection pools and pings of their own, so a connection accepted under -Insecure is never
    /// reused by a command that did not say so.
    /// </summary>
    public sealed class RegistrySession : IDisposable
    {
        private readonly ConditionalWeakTable<HttpRequestMessage, RegistryClient> _senders = new ConditionalWeakTable<HttpRequestMessage, RegistryClient>();
        private readonly HttpClient? _fixed;
        private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _transports = new ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.Ordinal);

        /// <param name="handler">One transport for every request (tests); null builds one per trust policy, which trusts
        /// certificates as the sending client's options say and presents a registry's certs.d client certificate to that
        /// registry only. It must not follow redirects itself.</param>
        public RegistrySession(HttpMessageHandler? handler = null)
        {
            if (handler != null) _fixed = NewHttpClient(handler);
        }

        /// <summary>The pooled transport for clients of one trust policy (<see cref="RegistryClient.TrustPolicy"/>).</summary>
        internal HttpClient HttpFor(string policy) =>
            _fixed ?? _transports.GetOrAdd(policy, _ => new Lazy<HttpClient>(() => NewHttpClient(new ClientCertificateHandler(request => SenderOf(request).Options.Trust, () => new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => SenderOf(request).ValidateCertificate(request, certificate, chain, errors),
            })))).Value;

        private static HttpClient NewHttpClient(HttpMessageHandler handler) => new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

        /// <summary>Pings by host and trust policy, shared by concurrent callers.</summary>
        internal ConcurrentDictionary<string, Lazy<Task<RegistryPing>>> Pings { get; } = new ConcurrentDictionary<string, Lazy<Task<RegistryPing>>>(StringComparer.Ordinal);

        internal ConcurrentDictionary<(string Host, string Scope, string Credential), RegistryClient.CachedToken> Tokens { get; } =
            new ConcurrentDictionary<(string, string, string), RegistryClient.CachedToken>();

        internal ConcurrentDictionary<(string Host, string Scope, string Credential), Lazy<Task<RegistryClient.CachedToken>>> PendingTokens { get; } =
            new ConcurrentDictionary<(string, string, string), Lazy<Task<RegistryClient.CachedToken>>>();

        internal ConcurrentDictionary<string, bool> Loopback { get; } = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        internal CredentialFingerprints Fingerprints { get; } = new CredentialFingerprints();

        /// <summary>Notes which client sends a request, so that the shared transport applies that client's trust.</summary>
        internal void Sending(HttpRequestMessage request, RegistryClient sender) => _senders.Add(request, sender);

        private RegistryClient SenderOf(HttpRequestMessage request) =>
            _senders.TryGetValue(request, out var sender) ? sender : throw new InvalidOperationException("A request went through a registry session without its client.");

        /// <summary>Removes a value from a cache only if it is still the one given (another caller may have replaced it).</summary>
        internal static void Forget<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull =>
            ((ICollection<KeyValuePair<TKey, TValue>>)cache).Remove(new KeyValuePair<TKey, TValue>(key, value));

        public void Dispose()
        {
            _fixed?.Dispose();
            foreach (var transport in _transports.Values)
            {
                if (transport.IsValueCreated) transport.Value.Dispose();
            }
        }
    }
}
