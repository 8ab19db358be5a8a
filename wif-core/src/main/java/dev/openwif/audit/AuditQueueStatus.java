package dev.openwif.audit;

/**
 * A snapshot of an asynchronous audit sink's queue, for the admin status route (and metrics).
 *
 * @param depth events recorded but not yet stored (queued, or in the batch being written)
 * @param capacity the most events the queue holds
 * @param highWaterMark the depth past which the sink logs a warning
 * @param refused events refused since start because the queue stayed full ({@link
 *     AuditUnavailableException}; the request they belonged to failed closed)
 * @param lost events accepted but never stored since start: the database refused them for good
 *     (e.g. a data error) or shutdown's bounded drain ended first
 * @param writerRestarts times the writer failed with an unexpected error and was restarted
 */
public record AuditQueueStatus(
    int depth, int capacity, int highWaterMark, long refused, long lost, long writerRestarts) {}
