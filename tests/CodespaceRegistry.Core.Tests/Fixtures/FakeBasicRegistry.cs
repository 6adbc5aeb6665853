using System;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// A loopback server that answers /v2/ as a Basic-auth registry does (401 with a Basic challenge without credentials,
    /// 200 with any) and hands every other request to <c>resource</c>: for outcomes no real registry produces on demand.
    /// </summary>
    public static class FakeBasicRegistry
    {
        /// <param name="seen">Each request as "METHOD path Authorization", when given.</param>
        public static Task<LoopbackServer> StartAsync(Func<HttpContext, Task>? resource, ConcurrentQueue<string>? seen = null, X509Certificate2? certificate = null) =>
            LoopbackServer.StartAsync(async context =>
            {
                seen?.Enqueue(context.Request.Method + " " + context.Request.Path + " " + context.Request.Headers.Authorization);
                if (context.Request.Path == "/v2/")
                {
                    context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
                    if (context.Request.Headers.Authorization.Count == 0)
                    {
                        context.Response.StatusCode = 401;
                        context.Response.Headers.WWWAuthenticate = "Basic realm=\"fake\"";
                    }
                    return;
                }
                if (resource != null) await resource(context);
            }, certificate);
    }
}
