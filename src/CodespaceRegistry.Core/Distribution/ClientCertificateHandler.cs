using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// The registry client's transport: requests to a registry whose certs.d folder holds a client certificate go
    /// through a handler of their own that presents it (mutual TLS), so the certificate reaches that registry only;
    /// every other request goes through the shared handler.
    /// </summary>
    internal sealed class ClientCertificateHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, RegistryTrust> _trustOf;
        private readonly Func<HttpClientHandler> _createHandler;
        private readonly HttpMessageInvoker _shared;
        private readonly ConcurrentDictionary<string, Lazy<HttpMessageInvoker>> _perRegistry = new ConcurrentDictionary<string, Lazy<HttpMessageInvoker>>(StringComparer.OrdinalIgnoreCase);

        /// <param name="trustOf">The trust of the client that sends the request (its certs.d roots).</param>
        public ClientCertificateHandler(Func<HttpRequestMessage, RegistryTrust> trustOf, Func<HttpClientHandler> createHandler)
        {
            _trustOf = trustOf;
            _createHandler = createHandler;
            _shared = new HttpMessageInvoker(createHandler(), disposeHandler: true);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var certificate = uri.Scheme == Uri.UriSchemeHttps ? _trustOf(request).ClientCertificateFor(uri) : null;
            if (certificate == null) return _shared.SendAsync(request, cancellationToken);
            var invoker = _perRegistry.GetOrAdd(RegistryTrust.FolderName(uri), _ => new Lazy<HttpMessageInvoker>(() =>
            {
                var handler = _createHandler();
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.Add(certificate);
                return new HttpMessageInvoker(handler, disposeHandler: true);
            })).Value;
            return invoker.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _shared.Dispose();
                foreach (var invoker in _perRegistry.Values)
                {
                    if (invoker.IsValueCreated) invoker.Value.Dispose();
                }
            }
            base.Dispose(disposing);
        }
    }
}
