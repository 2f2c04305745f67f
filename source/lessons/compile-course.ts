/*
 * Build step (npm run build): reads the shipped course, failing the build on any
 * problem in it, and writes the cache the tutorial starts from (course-cache.ts).
 */
import {defaultLessonsDir} from './course.js';
import {writeCourseCache} from './course-cache.js';
import {loadCourse} from './load.js';

const dir = defaultLessonsDir();
writeCourseCache(dir, loadCourse(dir));
