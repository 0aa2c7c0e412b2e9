/**
 * RECAP step 1 as a training task: CAPTIONER_FINETUNE runs shapes-world-ml's captioner pipeline (pretrain a base captioner
 * on terse captions, fine-tune it on the human SHORT/LONG split) on a ShapesWorld corpus directory.
 */
package io.recap.orchestrator.captioner;
