using System.Management.Automation;
using Microsoft.Extensions.Logging;

namespace LanScatter.PowerShell.Jobs;

/// <summary>
/// Puts the engine's <see cref="ILogger"/> lines onto PowerShell streams: debug and information on
/// Verbose, warnings on Warning, errors on Error (ErrorId NodeError).
/// </summary>
internal sealed class StreamLoggerProvider : ILoggerProvider
{
    private readonly IStreamSink _sink;

    public StreamLoggerProvider(IStreamSink sink) => _sink = sink;

    public ILogger CreateLogger(string categoryName) => new StreamLogger(_sink);

    public void Dispose()
    {
    }

    private sealed class StreamLogger : ILogger
    {
        private readonly IStreamSink _sink;

        public StreamLogger(IStreamSink sink) => _sink = sink;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            switch (logLevel)
            {
                case LogLevel.Trace or LogLevel.Debug:
                    _sink.Verbose(message);
                    break;
                case LogLevel.Information:
                    _sink.Information(message);
                    break;
                case LogLevel.Warning:
                    _sink.Warning(message);
                    break;
                case LogLevel.Error or LogLevel.Critical:
                    _sink.Error(new ErrorRecord(exception ?? new InvalidOperationException(message), "NodeError", ErrorCategory.NotSpecified, null));
                    break;
            }
        }
    }
}
