/**
 * Training with deterministic fork-join data parallelism.
 *
 * <pre>{@code
 * Dataset data = Noise.addToCopy(SyntheticBearing.defaultDataset(1), NoiseKind.WHITE_GAUSSIAN, 0, 2);
 * DatasetSplit split = data.stratifiedSplit(0.8, 3);
 * Architecture arch = Architecture.paper(Family.DRSN_CW, 2048, data.numClasses())
 *     .withClassNames(data.classNames());
 * TrainingConfig config = TrainingConfig.builder()
 *     .epochs(40).batchSize(128).microBatchSize(32).seed(7)          // threads: all processors
 *     .optimizer(OptimizerSettings.paper())                             // SGD 0.9, weight decay 1e-4
 *     .schedule(LearningRateSchedule.paper(0.1))                        // ×0.1 at 40 % and 80 %
 *     .checkpoints(Path.of("run"), 5)
 *     .listener(new TrainingListener() { ... })
 *     .build();
 * try (Trainer trainer = new Trainer(arch, config)) {
 *   TrainingResult result = trainer.fit(split.train(), split.test());
 *   result.history().writeJson(Path.of("run/history.json"));
 *   Checkpoint.save(result.bestModel(), Path.of("model.safetensors"));
 * }
 * // After a crash: trainer.resume(Path.of("run", Trainer.STATE_FILE), train, validation)
 * // Scoring a saved model, no trainer needed: Evaluator.evaluate(model, split.test(), threads)
 * }</pre>
 *
 * <p>The same configuration gives bit-identical weights on any number of threads, and a resumed
 * run ends bit-identical to an uninterrupted one. What determines the result: the seed, the
 * batch size and the <em>micro-batch</em> size (the unit of parallel work and of batch-norm
 * statistics — "ghost" batch norm), the optimiser and schedule, the kernels (SIMD or scalar) and
 * the data; not the thread count.
 *
 * <p><b>A training step in pieces.</b> {@link TrainingStep} is a
 * {@link MicroBatchWorker} per thread computing the {@link MicroBatchGradient}
 * of each fixed micro-batch ({@link MicroBatches}) and a {@link MicroBatchFold}
 * adding them in micro-batch order and stepping the optimiser. A distributed trainer runs the
 * workers elsewhere, ships their results back as plain arrays and folds them on the driver: the
 * weights are the same bits (recipe in {@link MicroBatchWorker}).
 */
package drsn.train;
