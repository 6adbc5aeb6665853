using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// An HTTP forward proxy on 127.0.0.1 that sends one host name to a loopback server: a client (skopeo) asks for
    /// an ECR registry by its real name, and so asks its credential helper for that name, while the bytes go to the
    /// local registry. CONNECT (https) is refused, so a client told the registry is insecure falls back to http.
    /// </summary>
    public sealed class HostMappingProxy : IAsyncDisposable
    {
        private static readonly string[] HopByHop = { "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Transfer-Encoding", "Upgrade", "TE", "Trailer" };

        private readonly string _host;
        private readonly Uri _target;
        private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        private LoopbackServer? _server;

        private HostMappingProxy(string host, Uri target)
        {
            _host = host;
            _target = target;
        }

        /// <param name="host">The name clients ask for, such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com.</param>
        /// <param name="target">Where its requests go, such as http://127.0.0.1:5000/.</param>
        public static async Task<HostMappingProxy> StartAsync(string host, Uri target)
        {
            var proxy = new HostMappingProxy(host, target);
            proxy._server = await LoopbackServer.StartAsync(proxy.HandleAsync);
            return proxy;
        }

        public Uri Url => _server!.BaseUri;

        /// <summary>How many requests for the mapped host were forwarded.</summary>
        public int Forwarded { get; private set; }

        private async Task HandleAsync(HttpContext context)
        {
            if (HttpMethods.IsConnect(context.Request.Method) || !string.Equals(context.Request.Host.Host, _host, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                return;
            }
            Forwarded++;
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0) request.Content = new StreamContent(context.Request.Body);
            foreach (var header in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
            {
                if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray())) request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }

        public async ValueTask DisposeAsync()
        {
            if (_server != null) await _server.DisposeAsync();
            _client.Dispose();
        }
    }
}
