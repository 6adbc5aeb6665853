using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// A Kestrel server on 127.0.0.1 and a free port, for the parts no real server can play here (the GitHub API,
    /// AWS endpoints, a registry's token server). Every fake built on it must follow the documented wire format.
    /// </summary>
    public sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackServer(WebApplication app, Uri baseUri)
        {
            _app = app;
            BaseUri = baseUri;
        }

        /// <summary>The server's address, such as http://127.0.0.1:41234/.</summary>
        public Uri BaseUri { get; }

        /// <summary>host:port, as a registry server or endpoint would name it.</summary>
        public string Authority => BaseUri.Authority;

        /// <summary>Starts a server whose every request goes to <paramref name="handler"/>.</summary>
        public static Task<LoopbackServer> StartAsync(RequestDelegate handler, X509Certificate2? certificate = null) =>
            StartAsync(app => app.Run(handler), certificate);

        /// <summary>Starts a server configured by <paramref name="configure"/> (routes, middleware).</summary>
        public static async Task<LoopbackServer> StartAsync(Action<WebApplication> configure, X509Certificate2? certificate = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options =>
                options.Listen(IPAddress.Loopback, 0, listen =>
                {
                    if (certificate != null) listen.UseHttps(certificate);
                }));
            var app = builder.Build();
            configure(app);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new LoopbackServer(app, new Uri(address.EndsWith("/", StringComparison.Ordinal) ? address : address + "/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
